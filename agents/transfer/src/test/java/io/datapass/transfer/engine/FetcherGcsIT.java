package io.datapass.transfer.engine;

import static io.datapass.transfer.testing.TestData.crc32c;
import static io.datapass.transfer.testing.TestData.md5;
import static io.datapass.transfer.testing.TestData.namesIn;
import static io.datapass.transfer.testing.TestData.randomBytes;
import static io.datapass.transfer.testing.TestData.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.Locations;
import io.datapass.transfer.storage.RemoteObject;
import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.gcs.GcsClients;
import io.datapass.transfer.storage.gcs.GcsSource;
import io.datapass.transfer.testing.FakeGcsServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Fetcher from gs: against fake-gcs-server")
class FetcherGcsIT {
  private static final String BUCKET = "datapass-it";
  private static final byte[] CONTENT = randomBytes(3 << 20, 99);

  @TempDir static Path serverDir;
  private static FakeGcsServer gcs;
  private static URI object;

  @TempDir Path dir;
  private ProgressReporter progress;
  private Fetcher fetcher;

  @BeforeAll
  static void startServer() throws Exception {
    gcs = FakeGcsServer.start(serverDir);
    gcs.createBucket(BUCKET);
    object = gcs.put(BUCKET, "runs/run 1/data.bin", CONTENT);
  }

  @AfterAll
  static void stopServer() throws IOException {
    gcs.close();
  }

  @BeforeEach
  void setUp() {
    progress = new ProgressReporter(Duration.ofSeconds(10), Duration.ofSeconds(30));
    SourceRegistry sources =
        new SourceRegistry()
            .register("gs", () -> new GcsSource(GcsClients.create(gcs.endpoint(), Map.of())));
    fetcher =
        new Fetcher(
            sources,
            TransferSettings.defaults()
                .withRetryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50))),
            progress);
  }

  @AfterEach
  void tearDown() {
    progress.close();
  }

  private static URI gs(String name) {
    return Locations.parse("gs://" + BUCKET + "/" + name);
  }

  /** The partial-file path the fetcher will use for {@code uri}, and the object as stat sees it. */
  private static Path partialFor(Path target, URI uri) {
    Blob blob = gcs.storage().get(BlobId.of(BUCKET, uri.getPath().substring(1)));
    RemoteObject remote =
        new RemoteObject(uri, blob.getSize(), blob.getGeneration().toString(), List.of());
    return PartialFile.pathFor(target, remote);
  }

  @Test
  void downloadsByteIdenticalAndReportsTheStoredCrc32c() throws IOException {
    Path target = dir.resolve("data.bin");
    URI uri = gs("runs/run 1/data.bin");
    assertThat(uri).isEqualTo(object).hasToString("gs://" + BUCKET + "/runs/run%201/data.bin");

    FetchResult result = fetcher.fetch(new FetchRequest(uri, target, null));

    assertThat(Files.readAllBytes(target)).isEqualTo(CONTENT);
    assertThat(result.bytes()).isEqualTo(CONTENT.length);
    assertThat(result.checksum())
        .isEqualTo(new Checksum(ChecksumAlgorithm.CRC32C, crc32c(CONTENT)));
    Blob blob = gcs.storage().get(BlobId.of(BUCKET, "runs/run 1/data.bin"));
    assertThat(Checksum.fromBase64(ChecksumAlgorithm.CRC32C, blob.getCrc32c()).hex())
        .isEqualTo(crc32c(CONTENT));
    assertThat(Checksum.fromBase64(ChecksumAlgorithm.MD5, blob.getMd5()).hex())
        .isEqualTo(md5(CONTENT));
    assertThat(namesIn(dir)).containsExactly("data.bin");
  }

  @Test
  void reportsTheRequestedAlgorithm() throws IOException {
    Checksum expected = new Checksum(ChecksumAlgorithm.SHA256, sha256(CONTENT));

    FetchResult result =
        fetcher.fetch(new FetchRequest(gs("runs/run 1/data.bin"), dir.resolve("d"), expected));

    assertThat(result.checksum()).isEqualTo(expected);
    assertThat(Files.readAllBytes(dir.resolve("d"))).isEqualTo(CONTENT);
  }

  @Test
  void resumesFromAPartialFileOnDisk() throws IOException {
    URI uri = gs("runs/run 1/data.bin");
    Path target = dir.resolve("data.bin");
    int already = 1_234_567;
    Files.write(partialFor(target, uri), Arrays.copyOf(CONTENT, already));

    FetchResult result = fetcher.fetch(new FetchRequest(uri, target, null));

    assertThat(result.resumedFrom()).isEqualTo(already);
    assertThat(Files.readAllBytes(target)).isEqualTo(CONTENT);
    assertThat(result.checksum().hex()).isEqualTo(crc32c(CONTENT));
    assertThat(namesIn(dir)).containsExactly("data.bin");
  }

  @Test
  void storedChecksumsCatchCorruptBytesOnDisk() throws IOException {
    URI uri = gs("runs/run 1/data.bin");
    Path target = dir.resolve("data.bin");
    byte[] corrupt = Arrays.copyOf(CONTENT, 1 << 20);
    corrupt[1000] ^= 0x5a;
    Files.write(partialFor(target, uri), corrupt);

    TransferException e =
        catchThrowableOfType(
            TransferException.class, () -> fetcher.fetch(new FetchRequest(uri, target, null)));

    assertThat(e).isNotNull();
    assertThat(e.isRetryable()).isFalse();
    assertThat(e)
        .hasMessageStartingWith(
            "checksum mismatch for " + uri + ": expected crc32c:" + crc32c(CONTENT));
    assertThat(namesIn(dir)).isEmpty();
  }

  @Test
  void zeroByteObject() throws IOException {
    URI uri = gcs.put(BUCKET, "empty.bin", new byte[0]);

    FetchResult result = fetcher.fetch(new FetchRequest(uri, dir.resolve("empty.bin"), null));

    assertThat(dir.resolve("empty.bin")).exists().isEmptyFile();
    assertThat(result.checksum()).isEqualTo(new Checksum(ChecksumAlgorithm.CRC32C, "00000000"));
  }

  @Test
  void missingObjectIsPermanentAndNamesTheUri() throws IOException {
    URI uri = gs("runs/absent.bin");

    TransferException e =
        catchThrowableOfType(
            TransferException.class,
            () -> fetcher.fetch(new FetchRequest(uri, dir.resolve("absent.bin"), null)));

    assertThat(e).isNotNull();
    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessage("object not found: gs://" + BUCKET + "/runs/absent.bin");
    assertThat(namesIn(dir)).isEmpty();
  }

  @Test
  void missingBucketIsPermanent() {
    URI uri = URI.create("gs://no-such-bucket-xyz/a.bin");

    TransferException e =
        catchThrowableOfType(
            TransferException.class,
            () -> fetcher.fetch(new FetchRequest(uri, dir.resolve("a.bin"), null)));

    assertThat(e).isNotNull();
    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessageContaining("gs://no-such-bucket-xyz/a.bin");
  }
}
