package io.datapass.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.datapass.cli.Run;
import io.datapass.cli.Run.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code submit --dry-run} through the real Helm engine (helm-java) with the repository's charts
 * and experiment values files: no cluster, nothing uploaded.
 */
class SubmitDryRunTest {
  @TempDir Path home;

  private Result datapass(String... args) {
    return Run.isolated(home).env("USER", "alice").datapass(args);
  }

  private Path inputs(String... lines) throws IOException {
    return Files.write(home.resolve("inputs.txt"), List.of(lines));
  }

  /** values/*.yaml for batch-job: their first line says {@code # chart: batch-job}. */
  static Stream<Path> experiments() throws IOException {
    return Run.valuesFor("batch-job").stream();
  }

  @Test
  void fiveInputsAreFiveIndexesEachFetchingItsOwn() throws Exception {
    String[] uris = new String[5];
    for (int i = 0; i < uris.length; i++) {
      uris[i] = "root://eospublic.cern.ch//eos/experiment/ship/run-" + i + ".root";
    }
    Path list = inputs(uris);

    Result dry =
        datapass(
            "submit",
            Run.VALUES.resolve("ship.yaml").toString(),
            "--inputs",
            list.toString(),
            "--name",
            "ship-five",
            "--dry-run",
            "-n",
            "physics");

    assertThat(dry.code()).as(dry.toString()).isZero();
    assertThat(dry.err())
        .contains("dry run: ship-five, 5 task(s), all at once; nothing uploaded or installed");
    Manifests rendered = Manifests.parse(dry.out());
    JsonNode job = rendered.job();
    assertThat(job.at("/metadata/name").asText()).isEqualTo("ship-five");
    assertThat(job.at("/metadata/namespace").isMissingNode()).isTrue(); // Helm leaves it to install
    assertThat(job.at("/metadata/labels/datapass.io~1submission").asText()).isEqualTo("ship-five");
    assertThat(job.at("/metadata/labels/datapass.io~1experiment").asText()).isEqualTo("ship");
    assertThat(job.at("/metadata/labels/datapass.io~1user").asText()).isEqualTo("alice");
    assertThat(job.at("/metadata/labels/app.kubernetes.io~1instance").asText())
        .isEqualTo("ship-five");
    assertThat(job.at("/spec/completions").asInt()).isEqualTo(5);
    assertThat(job.at("/spec/completionMode").asText()).isEqualTo("Indexed");
    JsonNode tasks = rendered.inputManifest().path("tasks");
    assertThat(tasks).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(tasks.get(i).at("/inputs/0/source").asText()).isEqualTo(uris[i]);
      assertThat(tasks.get(i).path("inputs")).hasSize(1);
    }
  }

  @Test
  void commentsAndBlankLinesOfTheInputsFileAreSkipped() throws Exception {
    Path list =
        inputs(
            "# run 7", "", "  gs://bucket/a.root  ", "https://example.org/b.root", "/mnt/c.root");

    Result dry =
        datapass(
            "submit",
            Run.VALUES.resolve("ship.yaml").toString(),
            "--inputs",
            list.toString(),
            "--name",
            "three",
            "--dry-run");

    assertThat(dry.code()).as(dry.toString()).isZero();
    JsonNode tasks = Manifests.parse(dry.out()).inputManifest().path("tasks");
    List<String> sources = new ArrayList<>();
    tasks.forEach(t -> sources.add(t.at("/inputs/0/source").asText()));
    assertThat(sources)
        .containsExactly("gs://bucket/a.root", "https://example.org/b.root", "/mnt/c.root");
  }

  @Test
  void withoutANameTheSubmissionIsNamedAfterTheExperimentAndTheTime() throws Exception {
    Result dry = datapass("submit", Run.VALUES.resolve("ship.yaml").toString(), "--dry-run");

    assertThat(dry.code()).as(dry.toString()).isZero();
    assertThat(Manifests.parse(dry.out()).job().at("/metadata/name").asText())
        .isEqualTo("ship-20261130-142233");
  }

  @ParameterizedTest
  @MethodSource("experiments")
  void everyExperimentsValuesFileRendersAsASubmission(Path values) throws Exception {
    Result dry = datapass("submit", values.toString(), "--name", "exp-1", "--dry-run");

    assertThat(dry.code()).as(dry.toString()).isZero();
    JsonNode job = Manifests.parse(dry.out()).job();
    assertThat(job.at("/metadata/name").asText()).isEqualTo("exp-1");
    assertThat(job.at("/spec/template/metadata/labels/datapass.io~1submission").asText())
        .isEqualTo("exp-1");
  }

  @Test
  void theInputDirectoryZipTakesThePlaceOfTheValuesFilesInputZip() throws Exception {
    Path dir = Files.createDirectories(home.resolve("job-input/config"));
    Files.writeString(dir.resolve("run.cfg"), "events = 10\n");

    Result dry =
        datapass(
            "submit",
            Run.VALUES.resolve("taskrunner.yaml").toString(),
            "--input-dir",
            home.resolve("job-input").toString(),
            "--name",
            "task-7",
            "--dry-run");

    assertThat(dry.code()).as(dry.toString()).isZero();
    assertThat(dry.err()).contains("would go to gs://task-runner-jobs/task-7-input.zip");
    JsonNode inputs = Manifests.parse(dry.out()).inputManifest().path("inputs");
    assertThat(inputs).hasSize(1);
    assertThat(inputs.at("/0/source").asText()).isEqualTo("gs://task-runner-jobs/task-7-input.zip");
    assertThat(inputs.at("/0/unpack").asBoolean()).isTrue();
  }

  @Test
  void theInputDirectoryZipIsAddedWhereTheValuesHaveNone() throws Exception {
    Files.createDirectories(home.resolve("in"));

    Result dry =
        datapass(
            "submit",
            Run.VALUES.resolve("ship.yaml").toString(),
            "--input-dir",
            home.resolve("in").toString(),
            "--name",
            "ship-9",
            "--dry-run");

    assertThat(dry.code()).as(dry.toString()).isZero();
    JsonNode inputs = Manifests.parse(dry.out()).inputManifest().path("inputs");
    assertThat(inputs).hasSize(2);
    assertThat(inputs.at("/0/source").asText()).startsWith("root://eospublic.cern.ch//");
    assertThat(inputs.at("/1/source").asText()).isEqualTo("gs://ship-outputs/ship-9-input.zip");
    assertThat(inputs.at("/1/unpack").asBoolean()).isTrue();
  }

  @Test
  void setFlagsComeLastAsInHelm() throws Exception {
    Result dry =
        datapass(
            "submit",
            Run.VALUES.resolve("caf.yaml").toString(),
            "--name",
            "caf-1",
            "--set",
            "payload.command=analyze.py other.cfg",
            "--set",
            "job.activeDeadlineSeconds=600",
            "--dry-run");

    assertThat(dry.code()).as(dry.toString()).isZero();
    JsonNode job = Manifests.parse(dry.out()).job();
    assertThat(job.at("/spec/activeDeadlineSeconds").asInt()).isEqualTo(600);
    assertThat(job.at("/spec/template/spec/containers/0/command/4").asText())
        .isEqualTo("analyze.py other.cfg");
  }

  @Test
  void theChartsAreFoundBesideTheCommandWithoutBeingNamed() throws Exception {
    Result dry =
        Run.isolated(home)
            .env("DATAPASS_CHARTS", null)
            .datapass(
                "submit",
                Run.VALUES.resolve("caf.yaml").toString(),
                "--name",
                "caf-2",
                "--dry-run");

    assertThat(dry.code()).as(dry.toString()).isZero();
    assertThat(Manifests.parse(dry.out()).job().at("/metadata/name").asText()).isEqualTo("caf-2");
  }
}
