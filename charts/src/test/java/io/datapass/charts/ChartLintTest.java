package io.datapass.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("charts: helm lint --strict")
class ChartLintTest {

  @Test
  void theLibraryLintsStrictly() {
    LintResult result = Helm.lintStrict(Helm.LIBRARY);

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void batchJobLintsStrictlyAsItIsInTheRepositoryWithTheLibraryThroughItsLink() {
    // the chart's own values leave the payload to each submission: lint lets `required` pass
    LintResult bare = Helm.lintStrict(Helm.BATCH_JOB);
    assertThat(bare.isFailed()).as(String.join("\n", bare.getMessages())).isFalse();

    for (Path values : ciValues()) {
      LintResult result = Helm.lintStrict(Helm.BATCH_JOB, values);
      assertThat(result.isFailed())
          .as(values + ":\n" + String.join("\n", result.getMessages()))
          .isFalse();
    }
  }

  @Test
  void batchJobLintsStrictlyWithEveryExperimentsValues() throws IOException {
    List<Path> experiments = ExperimentValuesTest.batchJobValues();
    assertThat(experiments).isNotEmpty();
    for (Path values : experiments) {
      LintResult result = Helm.lintStrict(Helm.BATCH_JOB, values);
      assertThat(result.isFailed())
          .as(values + ":\n" + String.join("\n", result.getMessages()))
          .isFalse();
    }
  }

  @Test
  void userPodLintsStrictlyAsItIsWithItsEdgeCasesAndEveryExperimentsValues() throws IOException {
    LintResult bare = Helm.lintStrict(Helm.USER_POD);
    assertThat(bare.isFailed()).as(String.join("\n", bare.getMessages())).isFalse();

    List<Path> files = new java.util.ArrayList<>(ciValues(Helm.USER_POD));
    files.addAll(ExperimentValuesTest.userPodValues());
    assertThat(files).anyMatch(f -> f.endsWith("savu.yaml"));
    for (Path values : files) {
      LintResult result = Helm.lintStrict(Helm.USER_POD, values);
      assertThat(result.isFailed())
          .as(values + ":\n" + String.join("\n", result.getMessages()))
          .isFalse();
    }
  }

  @Test
  void aUserPodValuesFileWithAMisspeltKeyFailsTheLintNamingIt() {
    LintResult result =
        Helm.lintStrict(Helm.USER_POD, Values.user("jdoe").with("service.tpye", "NodePort").file());

    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages())).contains("'tpye' not allowed");
  }

  @Test
  void aValuesFileWithAMisspeltKeyFailsTheLintNamingIt() {
    LintResult result =
        Helm.lintStrict(Helm.BATCH_JOB, Values.minimal().with("sidecar.gracePeriod", 30).file());

    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages())).contains("'gracePeriod' not allowed");
  }

  /** charts/batch-job/ci/*-values.yaml, chart-testing's edge cases. */
  static List<Path> ciValues() {
    return ciValues(Helm.BATCH_JOB);
  }

  /** A chart's ci/*-values.yaml. */
  static List<Path> ciValues(Path chart) {
    try (Stream<Path> files = Files.list(chart.resolve("ci"))) {
      List<Path> found = files.filter(f -> f.toString().endsWith("-values.yaml")).sorted().toList();
      assertThat(found).isNotEmpty();
      return found;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
