package io.datapass.transfer.engine;

import static io.datapass.transfer.testing.TestData.crc32c;
import static io.datapass.transfer.testing.TestData.namesIn;
import static io.datapass.transfer.testing.TestData.randomBytes;
import static io.datapass.transfer.testing.TestData.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.Locations;
import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.file.FileSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Fetcher from file: locations")
class FetcherFileTest {
  @TempDir Path src;
  @TempDir Path dst;
  private ProgressReporter progress;
  private Fetcher fetcher;

  @BeforeEach
  void setUp() {
    progress = new ProgressReporter(Duration.ofSeconds(10), Duration.ofSeconds(30));
    fetcher =
        new Fetcher(
            new SourceRegistry().register("file", FileSource::new),
            TransferSettings.defaults()
                .withRetryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50))),
            progress);
  }

  @AfterEach
  void tearDown() {
    progress.close();
  }

  private TransferException failure(FetchRequest request) {
    TransferException e =
        catchThrowableOfType(TransferException.class, () -> fetcher.fetch(request));
    assertThat(e).as("fetch must fail").isNotNull();
    return e;
  }

  @Test
  void copiesByteIdentical() throws IOException {
    byte[] content = randomBytes(3 << 20, 1);
    Path source = Files.write(src.resolve("in put.bin"), content);
    Path target = dst.resolve("sub/dir/out.bin");

    FetchResult result =
        fetcher.fetch(new FetchRequest(Locations.parse(source.toString()), target, null));

    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThat(result.bytes()).isEqualTo(content.length);
    assertThat(result.checksum())
        .isEqualTo(new Checksum(ChecksumAlgorithm.CRC32C, crc32c(content)));
    assertThat(namesIn(target.getParent())).containsExactly("out.bin");
  }

  /**
   * Large reads are hashed on another thread while written, small ones inline: both must hash every
   * byte.
   */
  @ParameterizedTest
  @ValueSource(ints = {100_000, 300_000, 2_600_000})
  void verifiesTheExpectedChecksum(int size) throws IOException {
    byte[] content = randomBytes(size, 2);
    Path source = Files.write(src.resolve("a"), content);
    Checksum expected = new Checksum(ChecksumAlgorithm.SHA256, sha256(content));

    FetchResult result =
        fetcher.fetch(new FetchRequest(source.toUri(), dst.resolve("a"), expected));

    assertThat(result.checksum()).isEqualTo(expected);
    assertThat(Files.readAllBytes(dst.resolve("a"))).isEqualTo(content);
  }

  @Test
  void skipsATargetThatAlreadyHoldsTheExpectedBytes() throws IOException {
    byte[] content = randomBytes(10_000, 3);
    Path source = Files.write(src.resolve("a"), content);
    Files.write(dst.resolve("a"), content);
    Checksum expected = new Checksum(ChecksumAlgorithm.SHA256, sha256(content));
    Files.delete(source); // proves the source is not read again

    FetchResult result =
        fetcher.fetch(new FetchRequest(source.toUri(), dst.resolve("a"), expected));

    assertThat(result.attempts()).isZero();
    assertThat(result.bytes()).isEqualTo(content.length);
    assertThat(result.elapsed()).isEqualTo(Duration.ZERO);
  }

  @Test
  void replacesATargetWithOtherBytes() throws IOException {
    byte[] content = randomBytes(10_000, 4);
    Path source = Files.write(src.resolve("a"), content);
    Files.writeString(dst.resolve("a"), "stale");

    fetcher.fetch(
        new FetchRequest(
            source.toUri(),
            dst.resolve("a"),
            new Checksum(ChecksumAlgorithm.SHA256, sha256(content))));

    assertThat(Files.readAllBytes(dst.resolve("a"))).isEqualTo(content);
  }

  @Test
  void zeroByteFile() throws IOException {
    Path source = Files.createFile(src.resolve("empty"));
    Path target = dst.resolve("empty");

    FetchResult result = fetcher.fetch(new FetchRequest(source.toUri(), target, null));

    assertThat(target).exists().isEmptyFile();
    assertThat(result.bytes()).isZero();
    // crc32c of nothing is 0
    assertThat(result.checksum()).hasToString("crc32c:00000000");
    assertThat(namesIn(dst)).containsExactly("empty");
  }

  @Test
  void missingFileIsPermanent() throws IOException {
    Path missing = src.resolve("nope.bin");

    TransferException e = failure(new FetchRequest(missing.toUri(), dst.resolve("nope.bin"), null));

    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessage("file not found: " + missing);
    assertThat(namesIn(dst)).isEmpty();
  }

  @Test
  void directoryIsRefused() {
    TransferException e = failure(new FetchRequest(src.toUri(), dst.resolve("x"), null));

    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessageContaining("not a regular file: " + src);
  }

  @Test
  void checksumMismatchDeletesThePartialFile() throws IOException {
    Path source = Files.write(src.resolve("a"), randomBytes(50_000, 5));
    Checksum wrong = Checksum.parse("md5:00000000000000000000000000000000");

    TransferException e = failure(new FetchRequest(source.toUri(), dst.resolve("a"), wrong));

    assertThat(e.isRetryable()).isFalse();
    assertThat(e)
        .hasMessageStartingWith("checksum mismatch for " + source.toUri() + ": expected " + wrong);
    assertThat(namesIn(dst)).isEmpty();
  }

  @Test
  void unknownSchemeNamesTheSupportedOnes() {
    URI uri = URI.create("s3://bucket/key");

    TransferException e = failure(new FetchRequest(uri, dst.resolve("k"), null));

    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessage("no source for scheme 's3' in s3://bucket/key (supported: [file])");
  }
}
