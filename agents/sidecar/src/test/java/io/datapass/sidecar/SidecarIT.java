package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import io.datapass.transfer.testing.FakeGcsServer;
import io.datapass.xrootd.testing.XrootdTestServer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on this machine: the sidecar, the wrapper and a real bash payload sharing a temporary
 * workdir, inputs from fake-gcs-server fetched by the sidecar itself, outputs stored in
 * fake-gcs-server, Debian's xrootd or on a mounted path, states to a JDK HTTP server on loopback.
 */
@Timeout(120)
class SidecarIT {
  private static final String BUCKET = "datapass-jobs";

  @TempDir static Path serverDir;
  private static FakeGcsServer gcs;

  @TempDir Path dir;
  private Path workdir;
  private byte[] events;

  @BeforeAll
  static void startServer() throws Exception {
    gcs = FakeGcsServer.start(serverDir);
    gcs.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    gcs.close();
  }

  @BeforeEach
  void stageInputs() throws Exception {
    workdir = Files.createDirectories(dir.resolve("workdir"));
    events = new byte[3_000_000];
    new Random(11).nextBytes(events);
    gcs.put(BUCKET, "job-42/input/events.root", events);
    gcs.put(BUCKET, "job-42/input/run.cfg", "events=3000000\n".getBytes());
  }

  private Path manifest() throws Exception {
    return Files.writeString(
        dir.resolve("inputs.yaml"),
        "inputs:\n"
            + "  - source: gs://"
            + BUCKET
            + "/job-42/input/events.root\n"
            + "    target: data/events.root\n"
            + "    checksum: crc32c:"
            + String.format("%08x", crc32c(events))
            + "\n"
            + "  - source: gs://"
            + BUCKET
            + "/job-42/input/run.cfg\n");
  }

  /** The payload: reads its inputs, goes through its own stages, writes outputs and a log. */
  private static final String ANALYSIS =
      "set -e; echo READING > $WORKDIR/state; "
          + "test $(wc -c < $WORKDIR/input/data/events.root) -eq 3000000; "
          + "grep -q events=3000000 $WORKDIR/input/run.cfg; sleep 0.5; "
          + "echo ANALYSING > $WORKDIR/state; mkdir -p $WORKDIR/output/hists; "
          + "tac $WORKDIR/input/data/events.root > $WORKDIR/output/hists/reversed.root; sleep 0.5; "
          + "echo WRITING > $WORKDIR/state; echo 'selected 1234 events'; echo 'warning: low statistics' >&2; sleep 0.5";

  private List<String> args(BackendReceiver backend, String uploadTo, String... extra)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--workdir",
                workdir.toString(),
                "--port",
                Integer.toString(BackendReceiver.freePort()),
                "--manifest",
                manifest().toString(),
                "--gcs-endpoint",
                gcs.endpoint(),
                "--upload-to",
                uploadTo,
                "--backend-url",
                backend.url(),
                "--job",
                "job-42",
                "--pod",
                "job-42-0-xyz",
                "--retries",
                "1"));
    args.addAll(List.of(extra));
    return args;
  }

  private SidecarRun.Result runJob(List<String> args) throws Exception {
    SidecarRun sidecar = SidecarRun.start(Map.of(), args);
    awaitReady();
    try (Payload payload = Payload.start(workdir, dir, ANALYSIS)) {
      assertThat(payload.await()).isZero();
    }
    return sidecar.await();
  }

  /** As Kubernetes starts the payload only once the sidecar's startup probe passed. */
  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Files.exists(workdir.resolve("ready")) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(workdir.resolve("ready")).exists();
  }

  private static final List<String> KPIPE_ORDER =
      List.of(
          "INITIALIZING",
          "STARTED",
          "RUNNING",
          "READING",
          "ANALYSING",
          "WRITING",
          "TERMINATING",
          "DONE");

  @Test
  void inputsFromGcsOutputsToGcsAndTheWholeStateOrderToTheBackend() throws Exception {
    try (BackendReceiver backend = BackendReceiver.start()) {
      SidecarRun.Result result = runJob(args(backend, "gs://" + BUCKET + "/outputs/"));

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(backend.states()).isEqualTo(KPIPE_ORDER);
      Blob reversed = gcs.storage().get(BlobId.of(BUCKET, "outputs/job-42/hists/reversed.root"));
      assertThat(reversed.getContent())
          .isEqualTo(Files.readAllBytes(workdir.resolve("output/hists/reversed.root")));
      assertThat(reversed.getSize()).isEqualTo(events.length);
      assertThat(reversed.getCrc32c()).isEqualTo(base64Crc32c(reversed.getContent()));
      assertThat(
              new String(gcs.storage().get(BlobId.of(BUCKET, "outputs/job-42/log")).getContent()))
          .isEqualTo("selected 1234 events\n");
      assertThat(
              new String(gcs.storage().get(BlobId.of(BUCKET, "outputs/job-42/error")).getContent()))
          .isEqualTo("warning: low statistics\n");
      assertThat(result.json().at("/inputs/files").size()).isEqualTo(2);
      assertThat(result.json().at("/outputs").findValuesAsText("checksum"))
          .allMatch(c -> c.startsWith("crc32c:"));
    }
  }

  @Test
  void outputsToABucketThatDoesNotExistEndInErrorSayingSoAndExitTwo() throws Exception {
    try (BackendReceiver backend = BackendReceiver.start()) {
      SidecarRun.Result result = runJob(args(backend, "gs://nobucket/outputs/"));

      assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
      assertThat(result.json().at("/status").asText()).isEqualTo("refused");
      assertThat(result.json().at("/state").asText()).isEqualTo("ERROR");
      assertThat(result.json().at("/detail").asText())
          .contains(": bucket nobucket does not exist (gs://nobucket/outputs/job-42/");
      assertThat(result.json().at("/failures/0").asText())
          .startsWith("bucket nobucket does not exist");
    }
  }

  @Test
  void outputsToAMountedPath() throws Exception {
    Path mounted = Files.createDirectories(dir.resolve("nfs/results"));
    try (BackendReceiver backend = BackendReceiver.start()) {
      SidecarRun.Result result = runJob(args(backend, mounted + "/"));

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(backend.states()).isEqualTo(KPIPE_ORDER);
      assertThat(mounted.resolve("job-42/hists/reversed.root"))
          .hasSameBinaryContentAs(workdir.resolve("output/hists/reversed.root"));
      assertThat(mounted.resolve("job-42/log")).hasContent("selected 1234 events");
      try (var files = Files.walk(mounted)) {
        assertThat(files.filter(Files::isRegularFile).count())
            .as("no temporary files left")
            .isEqualTo(3);
      }
    }
  }

  @Test
  void outputsToXrootd() throws Exception {
    try (XrootdTestServer server = XrootdTestServer.standalone();
        BackendReceiver backend = BackendReceiver.start()) {
      SidecarRun.Result result = runJob(args(backend, server.url("results/").toString()));

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(backend.states()).isEqualTo(KPIPE_ORDER);
      assertThat(server.file("results/job-42/hists/reversed.root"))
          .hasSameBinaryContentAs(workdir.resolve("output/hists/reversed.root"));
      assertThat(server.file("results/job-42/log")).hasContent("selected 1234 events");
      assertThat(result.json().at("/outputs").findValuesAsText("checksum"))
          .allMatch(c -> c.startsWith("adler32:"));
    }
  }

  @Test
  void aBackendDownDuringTheRunGetsEveryStateInOrderOnceItIsUp() throws Exception {
    try (BackendReceiver backend = BackendReceiver.down()) {
      SidecarRun sidecar =
          SidecarRun.start(
              Map.of(), args(backend, "gs://" + BUCKET + "/outputs-43/", "--grace-seconds", "30"));
      awaitReady();
      try (Payload payload = Payload.start(workdir, dir, ANALYSIS)) {
        payload.await();
      }
      Thread.sleep(2000); // the final state is reported while the backend is still down

      backend.listen();

      SidecarRun.Result result = sidecar.await();
      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(backend.states()).isEqualTo(KPIPE_ORDER);
      assertThat(result.json().get("reported").asBoolean()).isTrue();
    }
  }

  @Test
  void aFileRewrittenAfterItsUploadDuringTheRunHoldsItsFinalBytesInGcs() throws Exception {
    Path go = dir.resolve("go");
    try (BackendReceiver backend = BackendReceiver.start()) {
      SidecarRun sidecar =
          SidecarRun.start(
              Map.of(),
              args(
                  backend,
                  "gs://" + BUCKET + "/rewritten/",
                  "--upload-during-run",
                  "--settle-seconds",
                  "1",
                  "--state-dir",
                  dir.resolve("sidecar-state").toString()));
      awaitReady();
      BlobId id = BlobId.of(BUCKET, "rewritten/job-42/result.txt");
      try (Payload payload =
          Payload.start(
              workdir,
              dir,
              "echo 'first half' > $WORKDIR/output/result.txt; "
                  + "for i in $(seq 1 1200); do [ -e "
                  + go
                  + " ] && break; sleep 0.05; done; "
                  + "echo 'the whole result' > $WORKDIR/output/result.txt")) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (gcs.storage().get(id) == null && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        Blob early = gcs.storage().get(id);
        assertThat(early).as("uploaded while the payload runs").isNotNull();
        assertThat(new String(early.getContent())).isEqualTo("first half\n");
        Files.writeString(go, "");
        assertThat(payload.await()).isZero();

        SidecarRun.Result result = sidecar.await();
        assertThat(result.exitCode()).as(result.err()).isZero();
        Blob last = gcs.storage().get(id);
        assertThat(new String(last.getContent())).isEqualTo("the whole result\n");
        assertThat(last.getGeneration()).isNotEqualTo(early.getGeneration());
        assertThat(last.getCrc32c()).isEqualTo(base64Crc32c(last.getContent()));
      }
    }
  }

  private static long crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return crc.getValue();
  }

  private static String base64Crc32c(byte[] bytes) {
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc32c(bytes)).array());
  }
}
