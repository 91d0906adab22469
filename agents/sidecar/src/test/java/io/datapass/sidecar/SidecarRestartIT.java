package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.Blob;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.testing.FakeGcsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar as its container runs it (a JVM of its own) killed with SIGKILL while it uploads
 * outputs during the run, then restarted with the same {@code --state-dir}, as the kubelet restarts
 * a native sidecar: against fake-gcs-server, around a real bash payload that runs on meanwhile.
 */
@Timeout(240)
class SidecarRestartIT {
  private static final Path JAR = Path.of("target/sidecar.jar");
  private static final Path JVM_OPTIONS = Path.of("../jvm.options");
  private static final String BUCKET = "datapass-restart";
  private static final int FILES = 40;

  @TempDir static Path serverDir;
  private static FakeGcsServer gcs;

  @TempDir Path dir;
  private Path workdir;
  private Path stateDir;

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
  void setUp() throws IOException {
    assertThat(JAR).as("built by mvn package before the integration tests").exists();
    workdir = Files.createDirectories(dir.resolve("workdir"));
    stateDir = dir.resolve("sidecar-state");
    Files.writeString(workdir.resolve("ready"), "{}\n");
  }

  private Process sidecar(String run) throws IOException {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "@" + JVM_OPTIONS.toAbsolutePath(),
            "-jar",
            JAR.toString(),
            "--workdir",
            workdir.toString(),
            "--port",
            Integer.toString(BackendReceiver.freePort()),
            "--job",
            "job-7",
            "--upload-to",
            "gs://" + BUCKET + "/outputs/",
            "--gcs-endpoint",
            gcs.endpoint(),
            "--upload-during-run",
            "--settle-seconds",
            "1",
            "--state-dir",
            stateDir.toString(),
            "--retries",
            "2",
            "--exit-on-done");
    return new ProcessBuilder(command)
        .redirectOutput(dir.resolve(run + ".out").toFile())
        .redirectError(dir.resolve(run + ".err").toFile())
        .start();
  }

  private List<String> ledger(String event) throws IOException {
    Path file = stateDir.resolve(UploadLedger.FILE);
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream()
        .filter(line -> line.contains("\"event\":\"" + event + "\""))
        .toList();
  }

  /** Generation of each object under the job's directory, as the server lists them. */
  private static Map<String, Long> generations() throws Exception {
    HttpResponse<String> listing =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            gcs.endpoint()
                                + "/storage/v1/b/"
                                + BUCKET
                                + "/o?prefix=outputs/job-7/&maxResults=1000"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(listing.statusCode()).isEqualTo(200);
    Map<String, Long> generations = new HashMap<>();
    for (JsonNode item : new ObjectMapper().readTree(listing.body()).path("items")) {
      generations.put(item.get("name").asText(), item.get("generation").asLong());
    }
    return generations;
  }

  /**
   * How many uploads of each object the server completed: the last request of each resumable
   * upload, from its access log.
   */
  private static Map<String, Integer> completedUploads() throws IOException {
    Pattern completed =
        Pattern.compile(
            "PUT /upload/storage/v1/b/"
                + BUCKET
                + "/o\\?[^ ]*name=([^& ]+)&upload_id=[^ ]* HTTP/1\\.1\\\\\" 200 ");
    Map<String, Integer> counts = new HashMap<>();
    for (String line : Files.readAllLines(serverDir.resolve("fake-gcs-server.log"))) {
      Matcher match = completed.matcher(line);
      if (match.find()) {
        counts.merge(match.group(1), 1, Integer::sum);
      }
    }
    return counts;
  }

  @Test
  void aSidecarKilledMidUploadAndRestartedStoresEveryFileOnceWithNoGap() throws Exception {
    Path go = dir.resolve("go");
    Process first = sidecar("first");
    Payload payload =
        Payload.start(
            workdir,
            dir,
            "for i in $(seq 1 "
                + FILES
                + "); do head -c 2097152 /dev/urandom > $WORKDIR/output/part-$i.bin; done; "
                + "echo 'all parts written'; "
                + "for i in $(seq 1 1200); do [ -e "
                + go
                + " ] && break; sleep 0.05; done; "
                + "head -c 1000 /dev/urandom > $WORKDIR/output/part-1.bin"); // its own, changed
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (ledger("stored").size() < 8 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      first.toHandle().destroyForcibly(); // SIGKILL: no hook runs, nothing is flushed
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(first.exitValue()).isEqualTo(137);
      int storedAtKill = ledger("stored").size();
      assertThat(storedAtKill).isBetween(8, FILES - 1);
      assertThat(ledger("sending").size()).as("killed while uploading").isGreaterThan(storedAtKill);
      Map<String, Long> atKill = generations();
      assertThat(atKill).containsKey("outputs/job-7/part-1.bin");

      Process second = sidecar("second");
      Files.writeString(go, "");
      assertThat(payload.await()).isZero();
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String stderr = Files.readString(dir.resolve("second.err"));
      assertThat(second.exitValue()).as(stderr).isZero();
      JsonNode report = new ObjectMapper().readTree(Files.readString(dir.resolve("second.out")));
      assertThat(report.get("state").asText()).isEqualTo("DONE");

      Map<String, Long> atEnd = generations();
      List<String> expected = new ArrayList<>(List.of("outputs/job-7/log", "outputs/job-7/error"));
      for (int i = 1; i <= FILES; i++) {
        expected.add("outputs/job-7/part-" + i + ".bin");
      }
      assertThat(atEnd).as("no gap").containsOnlyKeys(expected);
      for (String name : expected) {
        Path local = workdir.resolve("output").resolve(name.substring("outputs/job-7/".length()));
        Blob blob = gcs.storage().get(BUCKET, name);
        assertThat(blob.getSize()).as(name).isEqualTo(Files.size(local));
        assertThat(blob.getCrc32c())
            .as(name)
            .isEqualTo(ChecksumAlgorithm.CRC32C.of(local).base64());
      }
      atKill.forEach(
          (name, generation) -> {
            // part-1.bin and log changed since: replaced, the sidecar's own per its ledger
            if (name.contains("/part-") && !name.endsWith("/part-1.bin")) {
              assertThat(atEnd.get(name))
                  .as("%s stored before the kill is not sent again", name)
                  .isEqualTo(generation);
            }
          });
      Map<String, Integer> uploads = completedUploads();
      for (int i = 1; i <= FILES; i++) {
        assertThat(uploads.get("outputs/job-7/part-" + i + ".bin"))
            .as("uploads of part-%d.bin the server completed", i)
            .isEqualTo(i == 1 ? 2 : 1);
      }
    } finally {
      payload.close();
    }
  }
}
