package io.datapass.transfer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.Locations;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.UploadStream;
import io.datapass.transfer.storage.file.FileSink;
import io.datapass.transfer.storage.gcs.GcsClients;
import io.datapass.transfer.storage.gcs.GcsSink;
import io.datapass.transfer.storage.xrootd.XrootdSink;
import io.datapass.transfer.testing.FakeGcsServer;
import io.datapass.transfer.testing.FaultInjectingProxy;
import io.datapass.xrootd.XrootdClient;
import io.datapass.xrootd.XrootdSettings;
import io.datapass.xrootd.testing.XrootdTestServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Streamed uploads ({@link StreamUploader}, {@link UploadStream}) to each kind of storage:
 * fake-gcs-server, Debian's xrootd, a local directory as a mounted filesystem.
 */
@Timeout(120)
class StreamUploaderIT {
  private static final String BUCKET = "datapass-streams";
  private static final int XROOTD_CHUNK = 256 << 10;

  @TempDir static Path serverDir;
  private static FakeGcsServer gcs;
  private static XrootdTestServer xrootd;

  @TempDir Path dir;

  enum Storage {
    FILE,
    GCS,
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

  private static SinkRegistry sinks(String gcsEndpoint) {
    return new SinkRegistry()
        .register("file", FileSink::new)
        .register("gs", () -> new GcsSink(GcsClients.create(gcsEndpoint, Map.of())))
        .register(
            "root",
            () -> new XrootdSink(new XrootdClient(XrootdSettings.defaults()), XROOTD_CHUNK, 2));
  }

  private static StreamUploader uploader(SinkRegistry sinks, int retries) {
    return new StreamUploader(
        sinks, new RetryPolicy(retries, Duration.ofMillis(10), Duration.ofMillis(50)));
  }

  private String test() {
    return dir.getFileName().toString(); // unique per test
  }

  private URI target(Storage storage, String name) {
    return switch (storage) {
      case FILE -> Locations.parse(dir.resolve("shared").resolve(name).toString());
      case GCS -> Locations.parse("gs://" + BUCKET + "/" + test() + "/" + name);
      case XROOTD -> xrootd.url(test() + "/" + name);
    };
  }

  private Optional<byte[]> stored(Storage storage, String name) throws IOException {
    return switch (storage) {
      case FILE -> read(dir.resolve("shared").resolve(name));
      case GCS ->
          Optional.ofNullable(gcs.storage().get(BlobId.of(BUCKET, test() + "/" + name)))
              .map(Blob::getContent);
      case XROOTD -> read(xrootd.file(test() + "/" + name));
    };
  }

  private static Optional<byte[]> read(Path file) throws IOException {
    return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
  }

  /** Every name stored for this test: a hidden temporary name left behind would show here. */
  private List<String> names(Storage storage) throws IOException {
    Path directory =
        switch (storage) {
          case FILE -> dir.resolve("shared");
          case XROOTD -> xrootd.file(test());
          case GCS -> null;
        };
    if (directory == null) {
      return gcs.storage()
          .list(BUCKET, com.google.cloud.storage.Storage.BlobListOption.prefix(test() + "/"))
          .streamAll()
          .map(b -> b.getName().substring(test().length() + 1))
          .toList();
    }
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static ChecksumAlgorithm algorithm(Storage storage) {
    return storage == Storage.XROOTD ? ChecksumAlgorithm.ADLER32 : ChecksumAlgorithm.CRC32C;
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Writes {@code bytes} in odd-sized pieces, as a zip does. */
  private static StreamUploader.Content pieces(byte[] bytes) {
    return out -> {
      for (int at = 0; at < bytes.length; at += 100_003) {
        out.write(bytes, at, Math.min(100_003, bytes.length - at));
      }
    };
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void streamsInManyChunksAndReturnsTheStoragesChecksumOfTheWholeObject(Storage storage)
      throws Exception {
    byte[] bytes = random(20_000_000, 1); // GCS: two 16 MiB chunks; XRootD: 77 writes
    try (SinkRegistry sinks = sinks(gcs.endpoint())) {
      StreamUploader.StreamResult result =
          uploader(sinks, 0).upload(pieces(bytes), target(storage, "out.zip"), false, "the zip");

      assertThat(stored(storage, "out.zip")).contains(bytes);
      assertThat(result.bytes()).isEqualTo(bytes.length);
      assertThat(result.checksum()).isEqualTo(checksum(algorithm(storage), bytes));
      assertThat(result.alreadyStored()).isFalse();
      assertThat(names(storage)).containsExactly("out.zip");
    }
  }

  private static io.datapass.transfer.checksum.Checksum checksum(
      ChecksumAlgorithm algorithm, byte[] bytes) {
    var hasher = algorithm.newHasher();
    hasher.update(bytes, 0, bytes.length);
    return new io.datapass.transfer.checksum.Checksum(algorithm, hasher.hex());
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void aStreamCutByItsProducerLeavesNothingUnderTheFinalNameNorATemporaryOne(Storage storage)
      throws Exception {
    byte[] bytes = random(18_000_000, 2);
    StreamUploader.Content failing =
        out -> {
          out.write(bytes);
          throw TransferException.permanent("the output directory went away");
        };
    try (SinkRegistry sinks = sinks(gcs.endpoint())) {
      assertThatThrownBy(
              () -> uploader(sinks, 0).upload(failing, target(storage, "out.zip"), false, "zip"))
          .hasMessage("the output directory went away");
    }
    assertThat(stored(storage, "out.zip")).isEmpty();
    assertThat(names(storage)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void otherBytesAlreadyStoredAreNotReplacedUnlessTold(Storage storage) throws Exception {
    byte[] other = random(1000, 3);
    byte[] bytes = random(3_000_000, 4);
    try (SinkRegistry sinks = sinks(gcs.endpoint())) {
      uploader(sinks, 0).upload(pieces(other), target(storage, "out.zip"), false, "first");

      assertThatThrownBy(
              () ->
                  uploader(sinks, 0)
                      .upload(pieces(bytes), target(storage, "out.zip"), false, "the zip"))
          .isInstanceOf(ObjectExistsException.class)
          .hasMessageContaining("out.zip already exists with other content (1000 bytes, ")
          .hasMessageEndingWith(
              "this upload of the zip: 3000000 bytes, "
                  + checksum(algorithm(storage), bytes)
                  + "); not replaced");
      assertThat(stored(storage, "out.zip")).contains(other);

      uploader(sinks, 0).upload(pieces(bytes), target(storage, "out.zip"), true, "the zip");
      assertThat(stored(storage, "out.zip")).contains(bytes);
      assertThat(names(storage)).containsExactly("out.zip");
    }
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void theSameBytesAlreadyStoredCountAsThisUploadAndAreNotSentAgain(Storage storage)
      throws Exception {
    byte[] bytes = random(3_000_000, 5);
    try (SinkRegistry sinks = sinks(gcs.endpoint())) {
      StreamUploader.StreamResult first =
          uploader(sinks, 0).upload(pieces(bytes), target(storage, "out.zip"), false, "zip");
      Object version = version(storage, "out.zip");

      StreamUploader.StreamResult again =
          uploader(sinks, 0).upload(pieces(bytes), target(storage, "out.zip"), false, "zip");

      assertThat(again.alreadyStored()).isTrue();
      assertThat(again.checksum()).isEqualTo(first.checksum());
      assertThat(again.bytes()).isEqualTo(bytes.length);
      assertThat(version(storage, "out.zip")).isEqualTo(version);
    }
  }

  /** What changes when an object is written again: GCS's generation, a file's inode. */
  private Object version(Storage storage, String name) throws IOException {
    return switch (storage) {
      case GCS -> gcs.storage().get(BlobId.of(BUCKET, test() + "/" + name)).getGeneration();
      case FILE -> Files.getAttribute(dir.resolve("shared").resolve(name), "unix:ino");
      case XROOTD -> Files.getAttribute(xrootd.file(test() + "/" + name), "unix:ino");
    };
  }

  /** The check before the upload cannot see an object stored while it streams: the storage must. */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void anObjectStoredWhileTheStreamRunsIsNotReplaced(Storage storage) throws Exception {
    byte[] other = random(1000, 6);
    try (SinkRegistry sinks = sinks(gcs.endpoint())) {
      URI target = target(storage, "out.zip");
      try (UploadStream out = sinks.sinkFor(target).openUpload(target, false)) {
        out.write(random(2_000_000, 7));
        uploader(sinks, 0).upload(pieces(other), target, false, "another run's zip");

        assertThatThrownBy(out::commit)
            .isInstanceOf(ObjectExistsException.class)
            .hasMessageEndingWith("out.zip already exists; not replaced");
      }
      assertThat(stored(storage, "out.zip")).contains(other);
      assertThat(names(storage)).containsExactly("out.zip");
    }
  }

  @Test
  void aGcsSessionCutMidUploadLeavesNoObjectAndARetrySendsItWhole() throws Exception {
    byte[] bytes = random(20_000_000, 8);
    try (FaultInjectingProxy proxy = FaultInjectingProxy.to(gcs.endpoint());
        SinkRegistry sinks = sinks(proxy.endpoint())) {
      AtomicInteger puts = new AtomicInteger();
      // the session's second chunk: the first 16 MiB are stored in the session by then
      proxy.failNext(r -> r.method().equals("PUT") && puts.incrementAndGet() == 2, 503, 1);
      URI target = target(Storage.GCS, "out.zip");

      assertThatThrownBy(() -> uploader(sinks, 0).upload(pieces(bytes), target, false, "zip"))
          .isInstanceOf(TransferException.class)
          .hasMessageContaining("gave up on uploading zip to " + target);
      assertThat(puts.get()).isEqualTo(2);
      assertThat(stored(Storage.GCS, "out.zip")).isEmpty();

      puts.set(0);
      proxy.failNext(r -> r.method().equals("PUT") && puts.incrementAndGet() == 2, 503, 1);
      StreamUploader.StreamResult result =
          uploader(sinks, 1).upload(pieces(bytes), target, false, "zip");
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(stored(Storage.GCS, "out.zip")).contains(bytes);
    }
  }

  @Test
  void anXrootdServerKilledMidUploadLeavesNothingUnderTheFinalName() throws Exception {
    byte[] bytes = random(4_000_000, 9);
    try (SinkRegistry sinks = sinks(gcs.endpoint())) {
      URI target = target(Storage.XROOTD, "out.zip");
      StreamUploader.Content cut =
          out -> {
            out.write(bytes);
            out.flush();
            try {
              xrootd.kill();
            } catch (InterruptedException e) {
              throw new java.io.InterruptedIOException();
            }
            out.write(bytes);
          };
      assertThatThrownBy(() -> uploader(sinks, 0).upload(cut, target, false, "zip"))
          .isInstanceOf(IOException.class);
    } finally {
      xrootd.restart();
    }
    assertThat(stored(Storage.XROOTD, "out.zip")).isEmpty();
  }
}
