package io.datapass.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import io.datapass.transfer.testing.FakeGcsServer;
import io.datapass.transfer.testing.RefusedPort;
import io.datapass.xrootd.testing.XrootdTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent run in-process (as the container runs it) against fake-gcs-server and Debian's xrootd.
 */
@Timeout(120)
class CleanupIT {
  private static final String BUCKET = "datapass-results";

  @TempDir static Path serverDir;
  private static FakeGcsServer gcs;

  @TempDir Path dir;
  private Path output;
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
  void jobOutput() throws Exception {
    output = Files.createDirectories(dir.resolve("output"));
    events = new byte[2_000_000];
    new Random(5).nextBytes(events);
    Files.write(output.resolve("events.root"), events);
    Files.writeString(
        Files.createDirectories(output.resolve("logs")).resolve("stdout.txt"), "done\n");
  }

  private AgentRun cleanup(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--output",
                output.toString(),
                "--scratch",
                dir.resolve("scratch").toString(),
                "--gcs-endpoint",
                gcs.endpoint(),
                "--retries",
                "1"));
    all.addAll(List.of(args));
    return AgentRun.of(all, Map.of());
  }

  private static String crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return Base64.getEncoder()
        .encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Test
  void zipsUploadsToGcsWithAManifestThenRemovesTheOutputs() throws Exception {
    AgentRun run =
        cleanup(
            "--job",
            "job-42",
            "--upload-to",
            "gs://" + BUCKET + "/outputs/",
            "--job-state",
            "Complete",
            "--remove",
            output.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    Blob zip = gcs.storage().get(BlobId.of(BUCKET, "outputs/job-42-output.zip"));
    Map<String, byte[]> entries = OutputTreeTest.entries(zip.getContent());
    assertThat(entries.keySet()).containsExactly("events.root", "logs/", "logs/stdout.txt");
    assertThat(entries.get("events.root")).isEqualTo(events);

    JsonNode manifest =
        new ObjectMapper()
            .readTree(
                gcs.storage()
                    .get(BlobId.of(BUCKET, "outputs/job-42-output.manifest.json"))
                    .getContent());
    assertThat(manifest.at("/objects/0/target").asText())
        .isEqualTo("gs://" + BUCKET + "/outputs/job-42-output.zip");
    assertThat(manifest.at("/objects/0/checksum").asText()).startsWith("crc32c:");
    assertThat(manifest.at("/files/0/name").asText()).isEqualTo("events.root");
    assertThat(manifest.at("/files/0/bytes").asLong()).isEqualTo(events.length);
    assertThat(manifest.at("/files/0/checksum").asText())
        .isEqualTo(
            "sha256:"
                + java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(events)));
    assertThat(manifest.at("/jobState").toString()).isEqualTo("{\"state\":\"Complete\"}");
    assertThat(zip.getCrc32c()).isEqualTo(crc32c(zip.getContent()));

    assertThat(run.json().at("/status").asText()).isEqualTo("ok");
    assertThat(run.json().at("/files").asInt()).isEqualTo(2);
    assertThat(run.json().at("/removed/0").asText()).isEqualTo(output.toString());
    assertThat(output).isEmptyDirectory();
    assertThat(dir.resolve("scratch")).doesNotExist(); // streamed: nothing written locally
  }

  @Test
  void treeModeUploadsEachFileToXrootd() throws Exception {
    try (XrootdTestServer server = XrootdTestServer.standalone()) {
      AgentRun run =
          cleanup(
              "--job",
              "job-7",
              "--mode",
              "tree",
              "--upload-to",
              server.url("results/") + "?datapass.x=1");

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(server.file("results/job-7/events.root")).hasBinaryContent(events);
      assertThat(server.file("results/job-7/logs/stdout.txt")).hasContent("done\n");
      assertThat(server.file("results/job-7-output.manifest.json")).exists();
      assertThat(run.json().at("/objects/0/checksum").asText()).startsWith("adler32:");
      assertThat(run.json().at("/objects/0/target").asText()).doesNotContain("?");
      assertThat(output.resolve("events.root")).exists(); // no --remove: kept
    }
  }

  @Test
  void treeModeCopiesManyFilesInParallelToAMountedDirectory() throws Exception {
    for (int i = 0; i < 20; i++) {
      Files.writeString(
          Files.createDirectories(output.resolve("hists/run" + (i % 3))).resolve("h" + i + ".txt"),
          "histogram " + i);
    }
    Path shared = dir.resolve("shared/results");
    AgentRun run =
        cleanup("--job", "job-5", "--mode", "tree", "--parallel", "3", "--upload-to", shared + "/");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(shared.resolve("job-5/events.root")).hasBinaryContent(events);
    assertThat(shared.resolve("job-5/hists/run2/h17.txt")).hasContent("histogram 17");
    try (var stored = Files.walk(shared)) {
      assertThat(stored.filter(Files::isRegularFile).count())
          .isEqualTo(23); // 22 outputs + the manifest
    }
    assertThat(run.json().at("/objects").size()).isEqualTo(22);
    assertThat(run.json().at("/objects/0/checksum").asText()).startsWith("crc32c:");
  }

  /**
   * Info-ZIP's unzip 6.0 honours the UTF-8 name flag only on entries with an extra field: the zip's
   * entries keep the files' times in one, which this guards (issue 13, item 14).
   */
  @Test
  void debiansUnzipListsNonAsciiNamesOfTheZipAsWritten() throws Exception {
    Files.writeString(
        Files.createDirectories(output.resolve("résumé")).resolve("naïve-Ωμέγα.txt"), "ok");
    Path shared = dir.resolve("shared");
    AgentRun run = cleanup("--job", "job-u", "--upload-to", shared + "/");
    assertThat(run.exitCode()).as(run.err()).isZero();

    ProcessBuilder list =
        new ProcessBuilder("unzip", "-l", shared.resolve("job-u-output.zip").toString())
            .redirectErrorStream(true);
    list.environment().put("LC_ALL", "C.UTF-8"); // a UTF-8 terminal, as a user's
    Process unzip = list.start();
    String listing = new String(unzip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(unzip.waitFor()).as(listing).isZero();
    assertThat(listing).contains("résumé/naïve-Ωμέγα.txt", "résumé/\n");
  }

  @Test
  void anEmptyOutputIsStoredWithAWarningInTheJson() throws Exception {
    emptyTheOutput();
    Path shared = dir.resolve("shared");
    AgentRun run =
        cleanup("--job", "job-e", "--upload-to", shared + "/", "--remove", output.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.json().at("/files").asInt()).isZero();
    assertThat(run.json().at("/warning").asText()) // logged on stderr too, as a WARN line
        .isEqualTo("--output " + output + " holds no file: nothing but an empty result is stored");
    assertThat(shared.resolve("job-e-output.zip")).exists();
  }

  @Test
  void requireOutputsFailsAnEmptyOutputBeforeAnythingIsStoredOrRemoved() throws Exception {
    emptyTheOutput();
    Path kept = Files.writeString(dir.resolve("input.txt"), "kept");
    Path shared = dir.resolve("shared");
    AgentRun run =
        cleanup(
            "--job",
            "job-r",
            "--upload-to",
            shared + "/",
            "--require-outputs",
            "--remove",
            kept.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("holds no file and --require-outputs is set; nothing was uploaded or removed");
    assertThat(run.json().at("/status").asText()).isEqualTo("failed");
    assertThat(kept).hasContent("kept");
    assertThat(shared).doesNotExist();
  }

  @Test
  void requireOutputsStoresOutputsThatAreThere() throws Exception {
    Path shared = dir.resolve("shared");
    AgentRun run = cleanup("--job", "job-o", "--upload-to", shared + "/", "--require-outputs");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.json().has("warning")).isFalse();
    assertThat(run.json().at("/files").asInt()).isEqualTo(2);
  }

  private void emptyTheOutput() throws Exception {
    Files.delete(output.resolve("logs/stdout.txt"));
    Files.delete(output.resolve("logs"));
    Files.delete(output.resolve("events.root"));
  }

  @Test
  void aFailedUploadRemovesNothingAndExitsOne() throws Exception {
    AgentRun run;
    try (RefusedPort refused = new RefusedPort()) {
      run =
          cleanup(
              "--job",
              "job-9",
              "--upload-to",
              "root://127.0.0.1:" + refused.port() + "//data/out/",
              "--remove",
              output.toString());
    }

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("cleanup: failed: ", "Connection refused", "; nothing was uploaded or removed");
    assertThat(output.resolve("events.root")).hasBinaryContent(events);
    assertThat(run.out().lines()).hasSize(1);
    assertThat(run.json().at("/status").asText()).isEqualTo("failed");
    assertThat(run.json().at("/job").asText()).isEqualTo("job-9");
    assertThat(run.json().at("/exitCode").asInt()).isEqualTo(1);
    assertThat(run.json().at("/error").asText())
        .contains("Connection refused", "; nothing was uploaded or removed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"zip", "tree"})
  void aBucketThatDoesNotExistIsAConfigurationErrorNamingTheFlag(String mode) throws Exception {
    AgentRun run =
        cleanup(
            "--job",
            "j",
            "--mode",
            mode,
            "--upload-to",
            "gs://nobucket/outputs/",
            "--remove",
            output.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "cleanup: bucket nobucket does not exist (--upload-to gs://nobucket/outputs/); nothing"
                + " was removed");
    assertThat(output.resolve("events.root")).hasBinaryContent(events);
  }

  @Test
  void deletingKubernetesObjectsOutsideAPodIsAUsageErrorBeforeAnyUpload() throws Exception {
    Path results = dir.resolve("results");
    AgentRun run = cleanup("--job", "job-2", "--upload-to", results + "/", "--delete", "job/job-2");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--delete needs the pod's service account: KUBERNETES_SERVICE_HOST is not set");
    assertThat(results).doesNotExist();
  }

  @Test
  void aMissingOutputDirectoryIsAUsageError() throws Exception {
    Files.delete(output.resolve("logs/stdout.txt"));
    Files.delete(output.resolve("logs"));
    Files.delete(output.resolve("events.root"));
    Files.delete(output);
    AgentRun run = cleanup("--job", "job-1", "--upload-to", "gs://" + BUCKET + "/x/");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--output " + output + " is not a directory");
  }
}
