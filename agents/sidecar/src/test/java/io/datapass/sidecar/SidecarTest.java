package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar in-process around real bash payloads under the wrapper, uploading to a mounted path,
 * reporting to a JDK HTTP server on loopback.
 */
@Timeout(90)
class SidecarTest {
  @TempDir Path dir;
  private Path workdir;
  private Path stored;
  private int port;
  private BackendReceiver backend;

  @BeforeEach
  void setUp() throws IOException {
    workdir = Files.createDirectories(dir.resolve("workdir"));
    stored = dir.resolve("stored");
    port = BackendReceiver.freePort();
    backend = BackendReceiver.start();
  }

  @AfterEach
  void stopBackend() {
    backend.close();
  }

  private List<String> args(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--workdir",
                workdir.toString(),
                "--port",
                Integer.toString(port),
                "--upload-to",
                stored + "/",
                "--backend-url",
                backend.url(),
                "--job",
                "job-42",
                "--task",
                "3",
                "--pod",
                "job-42-3-abcde",
                "--retries",
                "0",
                "--grace-seconds",
                "5"));
    args.addAll(List.of(extra));
    return args;
  }

  private SidecarRun sidecar(String... extra) {
    return SidecarRun.start(Map.of(), args(extra));
  }

  private void markReady() throws IOException {
    Files.writeString(workdir.resolve("ready"), "{}\n"); // as a download init container does
  }

  private record Response(int status, String body) {}

  private Response get(String path) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
    int status = connection.getResponseCode();
    try (var in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
      return new Response(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private Response awaitProbe(String path, int status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        Response response = get(path);
        if (response.status() == status || System.nanoTime() > deadline) {
          return response;
        }
      } catch (IOException notListening) {
        if (System.nanoTime() > deadline) {
          throw notListening;
        }
      }
      Thread.sleep(50);
    }
  }

  @Test
  void theFullKpipeOrderReachesTheBackendAndTheOutputsAreStored() throws Exception {
    markReady();
    SidecarRun sidecar = sidecar();
    awaitProbe("/startup", 200);
    try (Payload payload =
        Payload.start(
            workdir,
            dir,
            "sleep 0.5; echo LOADING > $WORKDIR/state; sleep 0.5; "
                + "echo FITTING > $WORKDIR/state; sleep 0.5; mkdir -p $WORKDIR/output/hists; "
                + "echo 42 > $WORKDIR/output/hists/result.txt; echo fitted; echo careful >&2")) {
      assertThat(payload.await()).isZero();
    }
    SidecarRun.Result result = sidecar.await();

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(backend.states())
        .containsExactly(
            "INITIALIZING", "STARTED", "RUNNING", "LOADING", "FITTING", "TERMINATING", "DONE");
    JsonNode done = backend.posts().get(6);
    assertThat(done.get("job").asText()).isEqualTo("job-42");
    assertThat(done.get("task").asText()).isEqualTo("3");
    assertThat(done.get("pod").asText()).isEqualTo("job-42-3-abcde");
    assertThat(done.get("previous").asText()).isEqualTo("TERMINATING");
    assertThat(done.get("detail").asText())
        .startsWith("payload exited with code 0; 3 outputs stored under file:");
    assertThat(done.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    List<String> fields = new ArrayList<>();
    done.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactly("job", "task", "pod", "state", "previous", "timestamp", "detail");
    assertThat(backend.posts().get(0).get("previous").isNull()).isTrue();

    assertThat(stored.resolve("job-42/hists/result.txt")).hasContent("42");
    assertThat(stored.resolve("job-42/log")).hasContent("fitted");
    assertThat(stored.resolve("job-42/error")).hasContent("careful");
    JsonNode report = result.json();
    assertThat(report.get("status").asText()).isEqualTo("ok");
    assertThat(report.get("state").asText()).isEqualTo("DONE");
    assertThat(report.get("payloadExitCode").asInt()).isZero();
    assertThat(report.get("outputs")).hasSize(3);
    assertThat(report.get("reported").asBoolean()).isTrue();
  }

  @Test
  void aPayloadExitingThreeIsAnErrorWithItsCodeAndItsLogsAreStillStored() throws Exception {
    markReady();
    SidecarRun sidecar = sidecar();
    try (Payload payload =
        Payload.start(workdir, dir, "echo partial; echo 'cannot open calib.db' >&2; exit 3")) {
      assertThat(payload.await()).isEqualTo(3);
    }
    SidecarRun.Result result = sidecar.await();

    assertThat(result.exitCode()).as("the sidecar's own work succeeded: " + result.err()).isZero();
    assertThat(backend.states())
        .containsExactly("INITIALIZING", "STARTED", "RUNNING", "TERMINATING", "ERROR");
    assertThat(backend.posts().get(4).get("detail").asText())
        .startsWith("payload exited with code 3; 2 outputs");
    assertThat(stored.resolve("job-42/log")).hasContent("partial");
    assertThat(stored.resolve("job-42/error")).hasContent("cannot open calib.db");
    assertThat(result.json().get("payloadExitCode").asInt()).isEqualTo(3);
  }

  @Test
  void aMissedHealthyDeadlineIsReportedWithItsReasonAndFailsTheHealthEndpoint() throws Exception {
    markReady();
    SidecarRun sidecar = sidecar("--healthy-deadline", "2");
    try (Payload payload =
        Payload.start(
            workdir,
            dir,
            "touch $WORKDIR/healthy; sleep 4.5; touch $WORKDIR/healthy; " + "sleep 0.5")) {
      backend.awaitState("UNHEALTHY", Duration.ofSeconds(20));
      Response overdue = get("/healthz");
      assertThat(overdue.status()).isEqualTo(503);
      assertThat(overdue.body()).contains("has not refreshed /workdir/healthy", "deadline 2 s");
      assertThat(get("/metrics").body())
          .contains(
              "datapass_sidecar_payload_healthy 0",
              "datapass_sidecar_state{state=\"UNHEALTHY\"} 1");
      assertThat(awaitProbe("/healthz", 200).status()).isEqualTo(200);
      assertThat(payload.await()).isZero();
    }
    SidecarRun.Result result = sidecar.await();

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(backend.states())
        .containsExactly(
            "INITIALIZING", "STARTED", "RUNNING", "UNHEALTHY", "RUNNING", "TERMINATING", "DONE");
    assertThat(backend.posts().get(3).get("detail").asText())
        .contains("has not refreshed /workdir/healthy");
    assertThat(backend.posts().get(4).get("detail").asText())
        .isEqualTo("/workdir/healthy refreshed again");
  }

  @Test
  void theStartupProbeHoldsThePayloadUntilTheInitContainerWroteReady() throws Exception {
    SidecarRun sidecar = sidecar();
    assertThat(awaitProbe("/healthz", 200).status()).isEqualTo(200);
    assertThat(get("/startup").status()).isEqualTo(503);

    markReady();

    assertThat(awaitProbe("/startup", 200).status()).isEqualTo(200);
    try (Payload payload = Payload.start(workdir, dir, "true")) {
      payload.await();
    }
    assertThat(sidecar.await().exitCode()).isZero();
  }

  @Test
  void metricsShowTheStateTheUploadsAndTheContainersCgroup() throws Exception {
    markReady();
    SidecarRun sidecar = sidecar();
    try (Payload payload =
        Payload.start(
            workdir,
            dir,
            "head -c 3000 /dev/zero > $WORKDIR/output/zeros; "
                + "while [ ! -e $WORKDIR/release ]; do sleep 0.1; done")) {
      awaitProbe("/startup", 200);
      backend.awaitState("RUNNING", Duration.ofSeconds(20));
      String running = get("/metrics").body();
      assertThat(running)
          .contains(
              "# TYPE datapass_sidecar_state gauge",
              "datapass_sidecar_state{state=\"RUNNING\"} 1",
              "datapass_sidecar_uploaded_bytes_total 0",
              "datapass_sidecar_upload_errors_total 0");
      assertThat(running).containsPattern("(?m)^datapass_container_memory_bytes \\d+$");
      assertThat(running).containsPattern("(?m)^datapass_container_cpu_seconds_total [0-9.E]+$");
      Files.writeString(workdir.resolve("release"), "");
      payload.await();
    }
    assertThat(sidecar.await().exitCode()).isZero();
  }

  @Test
  void aFailedUploadIsAnErrorWithTheReasonAndExitOne() throws Exception {
    markReady();
    int closedPort = BackendReceiver.freePort();
    List<String> args = args();
    args.set(args.indexOf("--upload-to") + 1, "root://127.0.0.1:" + closedPort + "//data/out/");
    SidecarRun sidecar = SidecarRun.start(Map.of(), args);
    try (Payload payload = Payload.start(workdir, dir, "echo result > $WORKDIR/output/r.txt")) {
      payload.await();
    }
    SidecarRun.Result result = sidecar.await();

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(backend.states())
        .containsExactly("INITIALIZING", "STARTED", "RUNNING", "TERMINATING", "ERROR");
    assertThat(backend.posts().get(4).get("detail").asText())
        .startsWith(
            "payload exited with code 0; 3 of 3 outputs not stored under root://127.0.0.1:"
                + closedPort);
    assertThat(result.json().get("status").asText()).isEqualTo("failed");
    assertThat(result.json().get("failures")).hasSize(3);
  }

  @Test
  void withAManifestTheSidecarFetchesTheInputsItselfThenWritesReady() throws Exception {
    Path source = Files.writeString(dir.resolve("calib.txt"), "calibration v7\n");
    Path manifest =
        Files.writeString(
            dir.resolve("inputs.yaml"),
            "inputs:\n  - source: " + source + "\n    target: conf/calib.txt\n");
    SidecarRun sidecar = sidecar("--manifest", manifest.toString());

    assertThat(awaitProbe("/startup", 200).status()).isEqualTo(200);
    assertThat(workdir.resolve("ready")).exists();
    assertThat(workdir.resolve("input/conf/calib.txt")).hasContent("calibration v7");
    try (Payload payload =
        Payload.start(workdir, dir, "cp $WORKDIR/input/conf/calib.txt $WORKDIR/output/used.txt")) {
      payload.await();
    }
    SidecarRun.Result result = sidecar.await();

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(stored.resolve("job-42/used.txt")).hasContent("calibration v7");
    assertThat(backend.posts().get(0).get("detail").asText())
        .isEqualTo("downloading the inputs of " + manifest);
    assertThat(result.json().at("/inputs/status").asText()).isEqualTo("ok");
    assertThat(result.json().at("/inputs/files/0/target").asText())
        .endsWith("input/conf/calib.txt");
  }

  @Test
  void inputsThatCannotBeFetchedAreAnErrorAndThePayloadNeverStarts() throws Exception {
    Files.writeString(workdir.resolve("ready"), "from an earlier run\n");
    Path manifest =
        Files.writeString(
            dir.resolve("inputs.yaml"),
            "inputs:\n  - source: " + dir.resolve("missing.root") + "\n");

    SidecarRun.Result result = sidecar("--manifest", manifest.toString()).await();

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(workdir.resolve("ready")).doesNotExist();
    assertThat(backend.states()).containsExactly("INITIALIZING", "ERROR");
    assertThat(backend.posts().get(1).get("detail").asText())
        .isEqualTo(
            "the inputs could not be fetched (download exit code 1); the payload was not started");
    assertThat(result.json().at("/inputs/status").asText()).isEqualTo("failed");
  }

  @Test
  void thePayloadsStatesArePassedOnInOrderButNotTheOnesOnlyTheSidecarKnows() throws Exception {
    markReady();
    SidecarRun sidecar = sidecar();
    String steps =
        "for s in STAGE-1 STAGE-2 DONE STAGE-3 ERROR STAGE-4; do echo $s > $WORKDIR/state; sleep 0.5; done";
    try (Payload payload =
        Payload.start(workdir, dir, steps, "DATAPASS_PAYLOAD_WRITES_STATE", "1")) {
      payload.await();
    }
    SidecarRun.Result result = sidecar.await();

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(backend.states())
        .containsExactly(
            "INITIALIZING",
            "STARTED",
            "RUNNING",
            "STAGE-1",
            "STAGE-2",
            "STAGE-3",
            "ERROR",
            "STAGE-4",
            "TERMINATING",
            "DONE");
  }

  @Test
  void statesAppendedToTheStateFileArePassedOnTooTheLastLineCounts() throws Exception {
    markReady();
    SidecarRun sidecar = sidecar();
    String steps =
        "for s in LOADING FITTING; do sleep 0.5; echo $s >> $WORKDIR/state; done; sleep 0.5";
    try (Payload payload = Payload.start(workdir, dir, steps)) {
      payload.await();
    }
    SidecarRun.Result result = sidecar.await();

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(backend.states())
        .containsExactly(
            "INITIALIZING", "STARTED", "RUNNING", "LOADING", "FITTING", "TERMINATING", "DONE");
  }

  @Test
  void statesOutsideAConservativeCharsetAreWarnedOfOnceEscapedAndNeverPassedOn() throws Exception {
    markReady();
    SidecarRun sidecar = sidecar();
    // U+2028 (line separator), U+202E (right-to-left override), U+0085 (next line) in UTF-8
    String steps =
        "for s in STAGE-1 'A\\342\\200\\250B' '\\342\\200\\256GNITTIF' 'C\\302\\205D' 'two words' "
            + "done Terminating STAGE-2; do printf \"$s\\n\" > $WORKDIR/state; sleep 0.5; done";
    try (CapturedLog log = CapturedLog.start()) {
      try (Payload payload =
          Payload.start(workdir, dir, steps, "DATAPASS_PAYLOAD_WRITES_STATE", "1")) {
        assertThat(payload.await()).isZero();
      }
      SidecarRun.Result result = sidecar.await();

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(backend.states())
          .containsExactly(
              "INITIALIZING", "STARTED", "RUNNING", "STAGE-1", "STAGE-2", "TERMINATING", "DONE");
      String text = log.text();
      assertThat(text).doesNotContain("\u2028", "\u202E", "\u0085");
      for (String escaped : new String[] {"A\\u2028B", "\\u202EGNITTIF", "C\\u0085D"}) {
        assertThat(text.split("an invalid state \"" + java.util.regex.Pattern.quote(escaped), -1))
            .as(escaped + " warned of once")
            .hasSize(2);
      }
      assertThat(text).contains("an invalid state \"two words\"");
      assertThat(text).contains("the payload wrote done to its state file", "Terminating");
    }
  }

  @Test
  void aStateOnlyTheSidecarReportsIsNotReportedWhenThePayloadIsHealthyAgain() throws Exception {
    markReady();
    SidecarRun sidecar = sidecar("--healthy-deadline", "2");
    try (Payload payload =
        Payload.start(
            workdir,
            dir,
            "touch $WORKDIR/healthy; echo STEP > $WORKDIR/state; sleep 0.5; "
                + "echo DONE > $WORKDIR/state; sleep 3.5; touch $WORKDIR/healthy; sleep 0.5",
            "DATAPASS_PAYLOAD_WRITES_STATE",
            "1")) {
      assertThat(payload.await()).isZero();
    }
    SidecarRun.Result result = sidecar.await();

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(backend.states())
        .containsExactly(
            "INITIALIZING",
            "STARTED",
            "RUNNING",
            "STEP",
            "UNHEALTHY",
            "STEP",
            "TERMINATING",
            "DONE");
  }

  @Test
  void aStateLinkedToASecretIsNeverPublished() throws Exception {
    markReady();
    Path secret = Files.writeString(dir.resolve("key.json"), "PRIVATE-KEY-LINE\n");
    String warning = workdir.resolve("state") + " is a symbolic link, not a regular file: ignored";
    try (CapturedLog log = CapturedLog.start()) {
      SidecarRun sidecar = sidecar();
      try (Payload payload =
          Payload.start(
              workdir,
              dir,
              "echo STEP-1 > $WORKDIR/state; sleep 0.5; rm $WORKDIR/state; ln -s "
                  + secret
                  + " $WORKDIR/state; while [ ! -e $WORKDIR/release ]; do sleep 0.1; done",
              "DATAPASS_PAYLOAD_WRITES_STATE",
              "1")) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!log.text().contains(warning) && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(log.text()).contains(warning);
        assertThat(get("/metrics").body())
            .doesNotContain("PRIVATE")
            .contains("datapass_sidecar_state{state=\"STEP-1\"} 1");
        Files.writeString(workdir.resolve("release"), "");
        assertThat(payload.await()).isZero();
      }
      SidecarRun.Result result = sidecar.await();

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(backend.states())
          .containsExactly("INITIALIZING", "STARTED", "RUNNING", "STEP-1", "TERMINATING", "DONE");
      assertThat(backend.posts().toString()).doesNotContain("PRIVATE");
      assertThat(log.text()).doesNotContain("PRIVATE");
      assertThat(result.out()).doesNotContain("PRIVATE");
    }
  }

  @Test
  void aFailureOfTheSidecarItselfIsReportedAsTheFinalError() throws Exception {
    markReady();
    SidecarRun sidecar = sidecar();
    // the workdir replaced by a file: the protocol cannot be followed any more
    try (Payload payload =
        Payload.start(
            workdir,
            dir,
            "sleep 1; rm -rf $WORKDIR; echo > $WORKDIR",
            "DATAPASS_PAYLOAD_WRITES_STATE",
            "1")) {
      payload.await();
    }
    SidecarRun.Result result = sidecar.await();

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(backend.states()).containsExactly("INITIALIZING", "STARTED", "ERROR");
    assertThat(backend.posts().get(2).get("detail").asText()).startsWith("the sidecar failed: ");
    assertThat(result.err()).startsWith("sidecar: failed: ");
  }
}
