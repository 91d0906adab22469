package io.datapass.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.BlobId;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.testing.FakeGcsServer;
import io.datapass.xrootd.testing.XrootdTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reruns of the agent (a Job retries a pod that failed after its uploads) and runs that meet other
 * content under the outputs' names, on each kind of destination: fake-gcs-server, a mounted
 * directory, Debian's xrootd.
 */
@Timeout(120)
class CleanupRerunIT {
  private static final String BUCKET = "datapass-reruns";

  @TempDir static Path serverDir;
  private static FakeGcsServer gcs;
  private static XrootdTestServer xrootd;

  @TempDir Path dir;
  private Path output;
  private int runs;

  /** A destination kind: its prefix for a test, and the bytes stored under it. */
  enum Storage {
    GCS,
    MOUNTED,
    XROOTD
  }

  @BeforeAll
  static void startServers() throws Exception {
    gcs = FakeGcsServer.start(serverDir);
    gcs.createBucket(BUCKET);
    xrootd = XrootdTestServer.standalone();
  }

  @AfterAll
  static void stopServers() throws Exception {
    gcs.close();
    xrootd.close();
  }

  @BeforeEach
  void jobOutput() throws Exception {
    output = Files.createDirectories(dir.resolve("output"));
    byte[] events = new byte[1_000_000];
    new Random(8).nextBytes(events);
    Files.write(output.resolve("events.root"), events);
    Files.writeString(
        Files.createDirectories(output.resolve("logs")).resolve("stdout.txt"), "done\n");
  }

  private String prefix(Storage storage) {
    String test = dir.getFileName().toString(); // unique per test
    return switch (storage) {
      case GCS -> "gs://" + BUCKET + "/" + test + "/";
      case MOUNTED -> dir.resolve("shared") + "/";
      case XROOTD -> xrootd.url(test + "/").toString();
    };
  }

  private byte[] stored(Storage storage, String name) throws Exception {
    String test = dir.getFileName().toString();
    return switch (storage) {
      case GCS -> gcs.storage().get(BlobId.of(BUCKET, test + "/" + name)).getContent();
      case MOUNTED -> Files.readAllBytes(dir.resolve("shared").resolve(name));
      case XROOTD -> Files.readAllBytes(xrootd.file(test + "/" + name));
    };
  }

  private AgentRun cleanup(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--output",
                output.toString(),
                "--scratch",
                dir.resolve("scratch" + runs++).toString(),
                "--gcs-endpoint",
                gcs.endpoint(),
                "--retries",
                "1"));
    all.addAll(List.of(args));
    return AgentRun.of(all, Map.of());
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void aRerunAfterTheRemovalUploadsNothingAndLeavesTheStoredZipAsItWas(Storage storage)
      throws Exception {
    AgentRun first =
        cleanup("--job", "job-42", "--upload-to", prefix(storage), "--remove", output.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    byte[] zip = stored(storage, "job-42-output.zip");
    byte[] manifest = stored(storage, "job-42-output.manifest.json");

    AgentRun rerun =
        cleanup("--job", "job-42", "--upload-to", prefix(storage), "--remove", output.toString());

    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(stored(storage, "job-42-output.zip")).isEqualTo(zip);
    assertThat(stored(storage, "job-42-output.manifest.json")).isEqualTo(manifest);
    JsonNode report = rerun.json();
    assertThat(report.at("/alreadyStored").asBoolean()).isTrue();
    assertThat(report.at("/files").asInt()).isEqualTo(2);
    assertThat(report.at("/objects/0").toString())
        .isEqualTo(first.json().at("/objects/0").toString());
    assertThat(report.at("/removed/0").asText()).isEqualTo(output.toString());
  }

  @Test
  void aRerunWithTheOutputsStillThereSendsNothingAgain() throws Exception {
    String prefix = prefix(Storage.GCS);
    assertThat(cleanup("--job", "job-3", "--upload-to", prefix).exitCode()).isZero();
    long generation = generation("job-3-output.zip");

    AgentRun rerun = cleanup("--job", "job-3", "--upload-to", prefix);

    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(rerun.json().at("/alreadyStored").asBoolean()).isTrue();
    assertThat(generation("job-3-output.zip")).isEqualTo(generation);
  }

  @Test
  void aZipStoredWithoutItsManifestCountsAsUploadedWhenItHoldsTheSameBytes() throws Exception {
    // the first run stopped between the zip and the manifest: the same outputs zip to the same
    // bytes
    String prefix = prefix(Storage.GCS);
    assertThat(cleanup("--job", "job-4", "--upload-to", prefix).exitCode()).isZero();
    long generation = generation("job-4-output.zip");
    gcs.storage().delete(BlobId.of(BUCKET, dir.getFileName() + "/job-4-output.manifest.json"));

    AgentRun rerun = cleanup("--job", "job-4", "--upload-to", prefix);

    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(generation("job-4-output.zip")).isEqualTo(generation);
    assertThat(stored(Storage.GCS, "job-4-output.manifest.json")).isNotEmpty();
  }

  private long generation(String name) {
    return gcs.storage().get(BlobId.of(BUCKET, dir.getFileName() + "/" + name)).getGeneration();
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void otherOutputsUnderTheSameNamesAreNotReplacedWithoutOverwrite(Storage storage)
      throws Exception {
    assertThat(cleanup("--job", "job-5", "--upload-to", prefix(storage)).exitCode()).isZero();
    byte[] zip = stored(storage, "job-5-output.zip");
    Files.writeString(output.resolve("logs/stdout.txt"), "done again\n");

    AgentRun second =
        cleanup("--job", "job-5", "--upload-to", prefix(storage), "--remove", output.toString());

    assertThat(second.exitCode()).isEqualTo(2);
    assertThat(second.err())
        .contains(
            "job-5-output.manifest.json says other outputs are stored (logs/stdout.txt has "
                + "11 bytes, 5 in it); nothing was uploaded or removed (--overwrite replaces them)");
    assertThat(stored(storage, "job-5-output.zip")).isEqualTo(zip);
    assertThat(output.resolve("logs/stdout.txt")).hasContent("done again\n");

    AgentRun overwrite = cleanup("--job", "job-5", "--upload-to", prefix(storage), "--overwrite");
    assertThat(overwrite.exitCode()).as(overwrite.err()).isZero();
    assertThat(OutputTreeTest.entries(stored(storage, "job-5-output.zip")).get("logs/stdout.txt"))
        .isEqualTo("done again\n".getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void anotherObjectUnderTheZipsNameIsNotReplaced(Storage storage) throws Exception {
    AgentRun other = cleanup("--job", "other", "--upload-to", prefix(storage));
    assertThat(other.exitCode()).as(other.err()).isZero();
    byte[] foreign = stored(storage, "other-output.zip");
    Files.writeString(output.resolve("extra.txt"), "not in the other job's zip");
    switch (storage) {
      case MOUNTED ->
          Files.copy(
              dir.resolve("shared/other-output.zip"), dir.resolve("shared/job-6-output.zip"));
      case GCS -> gcs.put(BUCKET, dir.getFileName() + "/job-6-output.zip", foreign);
      case XROOTD -> xrootd.put(dir.getFileName() + "/job-6-output.zip", foreign);
    }

    AgentRun run =
        cleanup("--job", "job-6", "--upload-to", prefix(storage), "--remove", output.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            prefix(storage).replaceFirst("^/", "file:/")
                + "job-6-output.zip already exists "
                + "with other content (",
            "; nothing was removed (--overwrite replaces it)");
    assertThat(stored(storage, "job-6-output.zip")).isEqualTo(foreign);
    assertThat(output.resolve("extra.txt")).exists();
  }

  @Test
  void aRerunFindsWhatAnEarlierRunStoredWhicheverWayTheMountedPathIsSpelled() throws Exception {
    Path shared = Files.createDirectories(dir.resolve("shared"));
    AgentRun first =
        cleanup(
            "--job",
            "job-8",
            "--upload-to",
            "file://" + shared + "/",
            "--remove",
            output.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    byte[] zip = Files.readAllBytes(shared.resolve("job-8-output.zip"));

    AgentRun rerun =
        cleanup(
            "--job", "job-8", "--upload-to", shared + "/../shared/", "--remove", output.toString());

    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(rerun.json().at("/alreadyStored").asBoolean()).isTrue();
    assertThat(shared.resolve("job-8-output.zip")).hasBinaryContent(zip);
  }

  /** What a payload could plant through an upload of its own under the same prefix. */
  @ParameterizedTest
  @CsvSource({
    "zip, '[]'",
    "zip, '[{\"target\":\"%sother-output.zip\",\"bytes\":1,\"checksum\":\"crc32c:AAAAAA==\"}]'",
    "tree, '[]'"
  })
  void aManifestThatListsNoneOfTheJobsObjectsDoesNotPassForStoredOutputs(
      String mode, String objects) throws Exception {
    Path shared = Files.createDirectories(dir.resolve("shared"));
    String prefix = prefix(Storage.MOUNTED);
    StringBuilder files = new StringBuilder();
    for (String name : List.of("events.root", "logs/stdout.txt")) {
      Path file = output.resolve(name);
      files
          .append(files.length() == 0 ? "" : ",")
          .append("{\"name\":\"")
          .append(name)
          .append("\",\"bytes\":")
          .append(Files.size(file))
          .append(",\"checksum\":\"")
          .append(ChecksumAlgorithm.SHA256.of(file))
          .append("\"}");
    }
    Files.writeString(
        shared.resolve("job-7-output.manifest.json"),
        "{\"job\":\"job-7\",\"mode\":\""
            + mode
            + "\",\"objects\":"
            + objects.formatted("file:" + prefix)
            + ",\"files\":["
            + files
            + "],\"skipped\":[]}");

    AgentRun run =
        cleanup(
            "--job", "job-7", "--mode", mode, "--upload-to", prefix, "--remove", output.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains("job-7-output.manifest.json says other outputs are stored (it does not list ");
    assertThat(output.resolve("events.root")).exists();
    assertThat(output.resolve("logs/stdout.txt")).hasContent("done\n");
  }

  @Test
  void twoRunsOfTheSameOutputsStoreByteIdenticalManifests() throws Exception {
    String prefix = prefix(Storage.GCS);
    assertThat(cleanup("--job", "job-8", "--upload-to", prefix).exitCode()).isZero();
    byte[] first = stored(Storage.GCS, "job-8-output.manifest.json");
    gcs.storage()
        .delete(
            BlobId.of(BUCKET, dir.getFileName() + "/job-8-output.manifest.json"),
            BlobId.of(BUCKET, dir.getFileName() + "/job-8-output.zip"));

    assertThat(cleanup("--job", "job-8", "--upload-to", prefix).exitCode()).isZero();

    byte[] second = stored(Storage.GCS, "job-8-output.manifest.json");
    assertThat(new String(second, StandardCharsets.UTF_8))
        .isEqualTo(new String(first, StandardCharsets.UTF_8));
    JsonNode manifest = new ObjectMapper().readTree(second);
    assertThat(manifest.fieldNames())
        .toIterable()
        .containsExactly("job", "mode", "objects", "files", "skipped");
    assertThat(manifest.at("/objects/0").fieldNames())
        .toIterable()
        .containsExactly("target", "source", "bytes", "checksum");
    assertThat(manifest.at("/files/0").fieldNames())
        .toIterable()
        .containsExactly("name", "bytes", "checksum");
  }
}
