package io.datapass.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.common.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --wait-for-job} and {@code --wait-timeout} as the cleanup's options read them. */
class JobWaitTest {

  private static CleanupOptions parse(String... flags) throws ConfigException {
    List<String> args = new ArrayList<>(List.of("--job", "job-42", "--upload-to", "gs://b/out/"));
    args.addAll(List.of(flags));
    return CleanupOptions.parse(args.toArray(String[]::new), Map.of());
  }

  @Test
  void withoutTheFlagNothingIsWaitedFor() throws Exception {
    assertThat(parse().waitFor()).isNull();
  }

  @Test
  void theJobToWaitForAndHowLong() throws Exception {
    CleanupOptions options = parse("--wait-for-job", "job-42", "--wait-timeout", "600");

    assertThat(options.waitFor()).isEqualTo(new JobWait("job-42", Duration.ofSeconds(600)));
    assertThat(options.describe())
        .startsWith(
            "job job-42, first waiting for job/job-42 (at most 600 s, --wait-timeout) to finish, ");
    assertThat(parse("--wait-for-job", "job-42").waitFor().timeout()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--wait-for-job Job_42 | --wait-for-job: 'Job_42' is not a Kubernetes Job name",
        "--wait-timeout 60 | --wait-timeout needs --wait-for-job",
        "--wait-for-job j --wait-timeout 0 | --wait-timeout must be between 1 and",
        "--wait-for-job j --wait-timeout soon | --wait-timeout must be a whole number"
      })
  void aWaitThatCannotBeIsAUsageError(String flags, String error) {
    assertThatThrownBy(() -> parse(flags.split(" ")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(error);
  }

  @Test
  void outsideAPodTheWaitIsAUsageErrorBeforeAnythingIsStored(@TempDir Path dir) throws Exception {
    Path output = Files.createDirectories(dir.resolve("output"));
    Files.writeString(output.resolve("log"), "done\n");

    AgentRun run =
        AgentRun.of(
            List.of(
                "--job",
                "job-42",
                "--wait-for-job",
                "job-42",
                "--output",
                output.toString(),
                "--upload-to",
                dir.resolve("shared") + "/"),
            Map.of());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "cleanup: --wait-for-job needs the pod's service account: KUBERNETES_SERVICE_HOST is not "
                + "set (not in a pod)");
    assertThat(dir.resolve("shared")).doesNotExist();
  }

  @Test
  void theUsageSaysWhatTheWaitDoes() {
    assertThat(CleanupOptions.usage())
        .contains("--wait-for-job <NAME>", "--wait-timeout <SECONDS>", "Complete or Failed");
  }
}
