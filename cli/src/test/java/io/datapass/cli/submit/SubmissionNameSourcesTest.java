package io.datapass.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.cli.Run;
import io.datapass.cli.Run.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The name {@code submit} reports is the name of what it makes: --name, --set submission.name and
 * the values file's submission.name are one name; two different ones are refused naming both.
 */
class SubmissionNameSourcesTest {
  @TempDir Path home;

  private final String ship = Run.VALUES.resolve("ship.yaml").toString();

  private Result datapass(String... args) {
    return Run.isolated(home).datapass(args);
  }

  @Test
  void aNameAndADifferentSetNameAreRefusedNamingBoth() {
    Result both =
        datapass("submit", ship, "--name", "myrun", "--set", "submission.name=other", "--dry-run");

    assertThat(both.code()).as(both.toString()).isEqualTo(2);
    assertThat(both.err()).contains("--name myrun", "--set submission.name=other").hasLineCount(1);
    assertThat(both.out()).isEmpty();
  }

  @Test
  void aSetNameAloneIsTheNameReportedAndMade() throws Exception {
    Result set = datapass("submit", ship, "--set", "submission.name=other", "--dry-run");

    assertThat(set.code()).as(set.toString()).isZero();
    assertThat(set.err()).contains("dry run: other,");
    assertThat(Manifests.parse(set.out()).job().at("/metadata/name").asText()).isEqualTo("other");
  }

  @Test
  void theValuesFilesNameIsTheNameUnlessAnotherIsGiven() throws Exception {
    Path fixed =
        Files.writeString(
            home.resolve("fixed.yaml"),
            Files.readString(Path.of(ship))
                .replace("submission:\n", "submission:\n  name: fixed-name\n"));
    assertThat(Files.readString(fixed)).contains("name: fixed-name");

    Result kept = datapass("submit", fixed.toString(), "--dry-run");
    assertThat(kept.code()).as(kept.toString()).isZero();
    assertThat(kept.err()).contains("dry run: fixed-name,");
    assertThat(Manifests.parse(kept.out()).job().at("/metadata/name").asText())
        .isEqualTo("fixed-name");

    Result other = datapass("submit", fixed.toString(), "--name", "myrun", "--dry-run");
    assertThat(other.code()).as(other.toString()).isEqualTo(2);
    assertThat(other.err()).contains("--name myrun", fixed + ": submission.name fixed-name");
  }

  @Test
  void theSameNameGivenTwiceIsOneName() throws Exception {
    Result same =
        datapass("submit", ship, "--name", "myrun", "--set", "submission.name=myrun", "--dry-run");

    assertThat(same.code()).as(same.toString()).isZero();
    assertThat(Manifests.parse(same.out()).job().at("/metadata/name").asText()).isEqualTo("myrun");
  }
}
