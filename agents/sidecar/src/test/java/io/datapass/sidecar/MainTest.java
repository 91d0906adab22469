package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The role's edge: help, the wrapper for a ConfigMap, and usage errors (exit 2, before anything is
 * reported).
 */
class MainTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    return runIn(Map.of(), args);
  }

  private static Run runIn(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpListsTheFlagsAndTheExitCodes() {
    Run run = run("--help");

    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains(
            "--manifest",
            "--upload-to",
            "--healthy-deadline",
            "--backend-url",
            "--grace-seconds",
            "Exit codes: 0");
  }

  @Test
  void printWrapperPrintsTheScriptTheChartMounts() {
    Run run = run("--print-wrapper");

    assertThat(run.code()).isZero();
    assertThat(run.out())
        .startsWith("#!/usr/bin/env bash\n")
        .contains("write_atomically \"$workdir/done\"");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--upload-to|gs://bucket/no-slash|--upload-to must end with '/'",
        "--upload-to|s3://bucket/out/|--upload-to must be a gs:// or root:// URL or an absolute path",
        "--port|70000|--port must be between 0 and 65535",
        "--healthy-deadline|soon|--healthy-deadline must be a whole number",
        "--backend-url|ftp://backend/states|--backend-url must be an http(s) URL",
        "--backend-token-file|/nonexistent/token|--backend-token-file /nonexistent/token cannot be read",
        "--settle-seconds|0|--settle-seconds must be between 1 and 3600, got 0",
      })
  void aBadFlagIsAUsageErrorNamingIt(String flag, String value, String message) {
    Run run = run("--workdir", dir.toString(), flag, value);

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("sidecar: " + message);
  }

  @Test
  void aFlagAppendedAgainOverridesTheRenderedOneAsAChartsExtraArgsDo() throws Exception {
    SidecarOptions options =
        SidecarOptions.parse(
            new String[] {
              "--workdir",
              dir.toString(),
              "--port",
              "8686",
              "--grace-seconds",
              "25",
              "--port",
              "9000",
              "--grace-seconds",
              "60"
            },
            Map.of());

    assertThat(options.port()).isEqualTo(9000);
    assertThat(options.grace()).hasSeconds(60);
  }

  @Test
  void realCredentialsOnAPlainHttpEndpointOffThisHostAreAUsageErrorAtStartUp() {
    Run run =
        runIn(
            Map.of("GOOGLE_APPLICATION_CREDENTIALS", "/var/run/key.json"),
            "--workdir",
            dir.toString(),
            "--job",
            "j",
            "--upload-to",
            "gs://b/out/",
            "--gcs-endpoint",
            "http://gcs.example.org:4443");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "sidecar: --gcs-endpoint: the GCS endpoint http://gcs.example.org:4443 is plain http");
  }

  @Test
  void aPortInUseIsAUsageErrorNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Run run =
          run("--workdir", dir.resolve("workdir").toString(), "--port", "" + taken.getLocalPort());

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err())
          .isEqualTo("sidecar: port " + taken.getLocalPort() + " (--port) is already in use\n");
      // stdout carries the result, as in every role's run that got past its flags
      assertThat(run.out())
          .startsWith("{\"status\":\"refused\",")
          .endsWith(
              "\"exitCode\":2,\"error\":\"port "
                  + taken.getLocalPort()
                  + " (--port) is already in use\"}\n");
    }
  }

  @Test
  void aBackendTokenOverPlainHttpToAnotherHostIsAUsageErrorNamingTheUrl() throws Exception {
    Path token = Files.writeString(dir.resolve("tok"), "BACKENDSECRET123");

    Run run =
        run(
            "--workdir",
            dir.toString(),
            "--backend-url",
            "http://192.0.2.2:18999/post",
            "--backend-token-file",
            token.toString());

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("sidecar: --backend-url http://192.0.2.2:18999/post is plain http")
        .doesNotContain("BACKENDSECRET123");
  }

  @ParameterizedTest
  @CsvSource({"ledger", "output/ledger", "."})
  void aStateDirInsideTheWorkdirIsRefusedSayingWhy(String under) {
    Path workdir = dir.resolve("workdir");
    Path stateDir = workdir.resolve(under);

    Run run =
        run("--workdir", workdir.toString(), "--state-dir", stateDir.toString(), "--port", "0");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "sidecar: --state-dir "
                + stateDir
                + " is inside the workdir "
                + workdir
                + ": the payload writes there and could forge the upload ledger; give it a volume"
                + " only the sidecar mounts (an emptyDir not shared with the payload)");
  }

  @Test
  void aStateDirReachingIntoTheWorkdirThroughALinkIsRefused() throws Exception {
    Path workdir = Files.createDirectories(dir.resolve("workdir"));
    Path link = Files.createSymbolicLink(dir.resolve("state"), workdir);

    Run run =
        run(
            "--workdir",
            workdir.toString(),
            "--state-dir",
            link.resolve("ledger").toString(),
            "--port",
            "0");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("is inside the workdir");
  }

  @Test
  void aMissingManifestIsAUsageErrorAndLeavesNoStaleReadyFile() throws Exception {
    Files.writeString(dir.resolve("ready"), "{}");

    Run run =
        run(
            "--workdir",
            dir.toString(),
            "--manifest",
            dir.resolve("absent.yaml").toString(),
            "--port",
            "0",
            "--exit-on-done");

    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("absent.yaml");
    assertThat(dir.resolve("ready")).doesNotExist();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|--job (or DATAPASS_JOB) is required with --upload-to: the outputs go under <prefix><job>/",
        "..|--job must be letters, digits, '.', '_' or '-', starting with a letter or digit, got '..'",
        "a/b|--job must be letters, digits, '.', '_' or '-', starting with a letter or digit, got 'a/b'",
      })
  void uploadsNeedAJobNameFitForAPath(String job, String message) {
    Run run = run("--workdir", dir.toString(), "--upload-to", "gs://bucket/out/", "--job", job);

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("sidecar: " + message);
  }

  @Test
  void anUnknownFlagIsAUsageErrorWithTheUsage() {
    Run run = run("--upload-whilst-running");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("Unrecognized option: --upload-whilst-running", "usage: sidecar");
  }

  @Test
  void reportingToThePodOutsideAPodExitsTwoNamingWhatIsMissing() {
    String workdir = dir.resolve("workdir").toString();

    Run noName = runIn(Map.of(), "--workdir", workdir, "--port", "0", "--report-to-pod");
    Run noApiServer =
        runIn(
            Map.of("POD_NAME", "job-42-3-abcde"),
            "--workdir",
            workdir,
            "--port",
            "0",
            "--report-to-pod");

    assertThat(noName.code()).isEqualTo(2);
    assertThat(noName.err()).contains("--report-to-pod needs POD_NAME");
    assertThat(noApiServer.code()).isEqualTo(2);
    assertThat(noApiServer.err())
        .contains("--report-to-pod needs the pod's service account: KUBERNETES_SERVICE_HOST");
  }

  @Test
  void aPayloadContainerWithoutReportingToThePodIsAUsageError() {
    Run run = run("--workdir", dir.resolve("workdir").toString(), "--payload-container", "main");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--payload-container is read only with --report-to-pod");
  }
}
