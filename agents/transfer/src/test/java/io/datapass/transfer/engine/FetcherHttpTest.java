package io.datapass.transfer.engine;

import static io.datapass.transfer.testing.TestData.crc32c;
import static io.datapass.transfer.testing.TestData.namesIn;
import static io.datapass.transfer.testing.TestData.partFiles;
import static io.datapass.transfer.testing.TestData.randomBytes;
import static io.datapass.transfer.testing.TestData.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.http.HttpSource;
import io.datapass.transfer.testing.HttpTestServer;
import io.datapass.transfer.testing.HttpTestServer.Request;
import io.datapass.transfer.testing.RawHttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Fetcher over HTTP")
class FetcherHttpTest {
  private static final int SIZE = 3 << 20;
  private static final int CUT = 1 << 20;

  @TempDir Path dir;
  private HttpTestServer server;
  private ProgressReporter progress;
  private final byte[] content = randomBytes(SIZE, 42);

  @BeforeEach
  void start() throws IOException {
    server = HttpTestServer.start().serve("/data.bin", content);
    progress = new ProgressReporter(Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    progress.close();
    server.close();
  }

  private Fetcher fetcher(int retries) {
    SourceRegistry sources =
        new SourceRegistry()
            .register(
                "http", () -> new HttpSource(null, Duration.ofSeconds(5), Duration.ofSeconds(10)));
    TransferSettings settings =
        TransferSettings.defaults()
            .withRetryPolicy(
                new RetryPolicy(retries, Duration.ofMillis(10), Duration.ofMillis(50)));
    return new Fetcher(sources, settings, progress);
  }

  private Fetcher fetcher() {
    return fetcher(3);
  }

  private TransferException failure(Fetcher fetcher, FetchRequest request) {
    TransferException e =
        catchThrowableOfType(TransferException.class, () -> fetcher.fetch(request));
    assertThat(e).as("fetch must fail").isNotNull();
    return e;
  }

  private List<Request> gets() {
    return server.requests("GET", "/data.bin");
  }

  @Test
  void downloadsByteIdenticalAndReportsAdler32() throws IOException {
    Path target = dir.resolve("data.bin");

    FetchResult result = fetcher().fetch(new FetchRequest(server.uri("/data.bin"), target, null));

    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThat(result.checksum())
        .isEqualTo(new Checksum(ChecksumAlgorithm.CRC32C, crc32c(content)));
    assertThat(result.bytes()).isEqualTo(SIZE);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.resumedFrom()).isZero();
    assertThat(namesIn(dir)).containsExactly("data.bin");
    assertThat(gets()).singleElement().extracting(Request::range).isNull();
  }

  @Test
  void downloadsAChunkedBody() throws IOException {
    server.sendChunkedBodies();
    Path target = dir.resolve("data.bin");

    FetchResult result =
        fetcher()
            .fetch(
                new FetchRequest(
                    server.uri("/data.bin"),
                    target,
                    new Checksum(ChecksumAlgorithm.SHA256, sha256(content))));

    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThat(result.attempts()).isEqualTo(1);
  }

  @Test
  void verifiesAndReportsTheExpectedSha256() throws IOException {
    Checksum expected = new Checksum(ChecksumAlgorithm.SHA256, sha256(content));

    FetchResult result =
        fetcher().fetch(new FetchRequest(server.uri("/data.bin"), dir.resolve("d"), expected));

    assertThat(result.checksum()).isEqualTo(expected);
    assertThat(Files.readAllBytes(dir.resolve("d"))).isEqualTo(content);
  }

  @Test
  void resumesWithRangeAfterTheBodyIsCut() throws IOException {
    server.cutNextBodyAfter("/data.bin", CUT);
    Path target = dir.resolve("data.bin");

    FetchResult result =
        fetcher()
            .fetch(
                new FetchRequest(
                    server.uri("/data.bin"),
                    target,
                    new Checksum(ChecksumAlgorithm.SHA256, sha256(content))));

    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(result.resumedFrom()).isPositive().isLessThanOrEqualTo(CUT);
    List<Request> gets = gets();
    assertThat(gets).hasSize(2);
    assertThat(gets.get(0).range()).isNull();
    assertThat(gets.get(1).range()).isEqualTo("bytes=" + result.resumedFrom() + "-");
    assertThat(gets.get(1).ifRange()).isEqualTo(server.etag("/data.bin"));
    assertThat(partFiles(dir)).isEmpty();
  }

  /**
   * The server never ends the stalled body by itself: only the engine's stall abort lets this fetch
   * finish.
   */
  @Test
  void resumesWhenTheBodyStallsLongerThanTheStallTimeout() throws IOException {
    server.stallNextBodyAfter("/data.bin", CUT);
    Path target = dir.resolve("data.bin");
    SourceRegistry sources =
        new SourceRegistry()
            .register(
                "http", () -> new HttpSource(null, Duration.ofSeconds(5), Duration.ofSeconds(5)));
    TransferSettings settings =
        TransferSettings.defaults()
            .withRetryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)))
            .withStallTimeout(Duration.ofSeconds(1));

    FetchResult result;
    try (ProgressReporter quick =
        new ProgressReporter(Duration.ofMillis(200), settings.stallTimeout())) {
      result =
          new Fetcher(sources, settings, quick)
              .fetch(new FetchRequest(server.uri("/data.bin"), target, null));
    }

    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(result.resumedFrom()).isPositive().isLessThanOrEqualTo(CUT);
    assertThat(gets().get(1).range()).isEqualTo("bytes=" + result.resumedFrom() + "-");
    assertThat(partFiles(dir)).isEmpty();
  }

  @Test
  void retriesA503ThenSucceeds() throws IOException {
    server.failNext("/data.bin", 503, 2);

    FetchResult result =
        fetcher().fetch(new FetchRequest(server.uri("/data.bin"), dir.resolve("d"), null));

    assertThat(Files.readAllBytes(dir.resolve("d"))).isEqualTo(content);
    assertThat(result.attempts()).isEqualTo(3);
    assertThat(server.requests("HEAD", "/data.bin")).hasSize(3);
    assertThat(gets()).hasSize(1);
  }

  @Test
  void givesUpAfterTheRetriesOnPersistent503() {
    server.failNext("/data.bin", 503, 100);

    TransferException e =
        failure(fetcher(), new FetchRequest(server.uri("/data.bin"), dir.resolve("d"), null));

    assertThat(e.isRetryable()).isFalse();
    assertThat(e)
        .hasMessageContaining("gave up on " + server.uri("/data.bin") + " after 4 attempts")
        .hasMessageContaining("HTTP 503");
    assertThat(server.requests()).hasSize(4);
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void notFoundIsPermanentAndNotRetried() throws IOException {
    URI missing = server.uri("/missing.bin");

    TransferException e = failure(fetcher(), new FetchRequest(missing, dir.resolve("m"), null));

    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessage("not found (HTTP 404 for " + missing + ")");
    assertThat(server.requests()).hasSize(1);
    assertThat(namesIn(dir)).isEmpty();
  }

  @Test
  void checksumMismatchIsPermanentAndLeavesNothingBehind() throws IOException {
    Checksum wrong = new Checksum(ChecksumAlgorithm.SHA256, sha256("something else".getBytes()));
    Path target = dir.resolve("data.bin");

    TransferException e =
        failure(fetcher(), new FetchRequest(server.uri("/data.bin"), target, wrong));

    assertThat(e.isRetryable()).isFalse();
    assertThat(e)
        .hasMessage(
            "checksum mismatch for "
                + server.uri("/data.bin")
                + ": expected "
                + wrong
                + ", got sha256:"
                + sha256(content));
    assertThat(target).doesNotExist();
    assertThat(namesIn(dir)).isEmpty();
    assertThat(gets()).hasSize(1);
  }

  @Test
  void zeroByteObject() throws IOException {
    server.serve("/empty", new byte[0]);
    Path target = dir.resolve("empty");

    FetchResult result = fetcher().fetch(new FetchRequest(server.uri("/empty"), target, null));

    assertThat(target).exists().isEmptyFile();
    assertThat(result.bytes()).isZero();
    assertThat(result.checksum()).isEqualTo(new Checksum(ChecksumAlgorithm.CRC32C, "00000000"));
    assertThat(partFiles(dir)).isEmpty();
  }

  @Test
  void progressDoesNotRestartTheRetryCount() {
    server.cutEveryBodyAfter(
        "/data.bin", CUT); // every attempt brings 1 MiB more, none the whole 3 MiB
    Path target = dir.resolve("data.bin");

    TransferException e =
        failure(fetcher(1), new FetchRequest(server.uri("/data.bin"), target, null));

    assertThat(e)
        .hasMessageContaining("gave up on " + server.uri("/data.bin") + " after 2 attempts");
    assertThat(gets()).hasSize(2);
    assertThat(target).doesNotExist();
  }

  @Nested
  @DisplayName("when the server refuses HEAD, so the size is not known in advance")
  class HeadRefused {
    private Path target;

    @BeforeEach
    void refuseHead() {
      server.refuseHead();
      target = dir.resolve("data.bin");
    }

    @Test
    void progressTakesTheSizeFromTheGetsContentLength() throws IOException {
      server.stallNextBodyAfter("/data.bin", CUT);
      List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
      TransferSettings settings =
          TransferSettings.defaults()
              .withRetryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)))
              .withStallTimeout(Duration.ofMillis(1500));
      SourceRegistry sources =
          new SourceRegistry()
              .register(
                  "http", () -> new HttpSource(null, Duration.ofSeconds(5), Duration.ofSeconds(5)));
      try (ProgressReporter reporter =
          new ProgressReporter(Duration.ofMillis(200), settings.stallTimeout(), lines::add)) {
        new Fetcher(sources, settings, reporter)
            .fetch(new FetchRequest(server.uri("/data.bin"), target, null));
      }

      assertThat(lines)
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l).contains(" of 3.0 MiB (", "ETA"));
    }

    @Test
    void aBodyCutAtHalfIsResumedNotTakenAsTheWholeFile() throws IOException {
      server.cutNextBodyAfter("/data.bin", SIZE / 2);

      FetchResult result = fetcher().fetch(new FetchRequest(server.uri("/data.bin"), target, null));

      assertThat(Files.readAllBytes(target)).isEqualTo(content);
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(result.resumedFrom()).isPositive().isLessThanOrEqualTo(SIZE / 2);
      assertThat(gets())
          .extracting(Request::range)
          .containsExactly(null, "bytes=" + result.resumedFrom() + "-");
      assertThat(namesIn(dir)).containsExactly("data.bin");
    }

    @Test
    void aBodyCutOnEveryAttemptFailsAndNothingLandsUnderTheFinalName() throws IOException {
      server.cutEveryBodyAfter("/data.bin", 100_000);

      TransferException e =
          failure(fetcher(2), new FetchRequest(server.uri("/data.bin"), target, null));

      assertThat(e.isRetryable()).isFalse();
      assertThat(e)
          .hasMessageContaining("gave up on " + server.uri("/data.bin") + " after 3 attempts")
          .hasMessageContaining("ended after 100000 of");
      assertThat(target).doesNotExist();
      assertThat(partFiles(dir))
          .singleElement()
          .satisfies(p -> assertThat(Files.size(p)).isEqualTo(300_000));
    }

    @Test
    void aChunkedBodyCutInsideAChunkIsResumed() throws IOException {
      try (RawHttpServer raw =
          RawHttpServer.start(
              (request, out) -> {
                if (request.method().equals("HEAD")) {
                  out.write(RawHttpServer.head("405 Method Not Allowed", "Content-Length: 0"));
                } else if (request.header("Range") == null) {
                  out.write(RawHttpServer.head("200 OK", "Transfer-Encoding: chunked"));
                  out.write(
                      (Integer.toHexString(SIZE) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                  out.write(content, 0, SIZE / 2); // and the connection closes inside the chunk
                } else {
                  int from = Integer.parseInt(request.header("Range").replaceAll("\\D", ""));
                  out.write(
                      RawHttpServer.head(
                          "206 Partial Content",
                          "Content-Length: " + (SIZE - from),
                          "Content-Range: bytes " + from + "-" + (SIZE - 1) + "/" + SIZE));
                  out.write(content, from, SIZE - from);
                }
              })) {
        FetchResult result = fetcher().fetch(new FetchRequest(raw.uri("/data.bin"), target, null));

        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.resumedFrom()).isEqualTo(SIZE / 2);
        assertThat(namesIn(dir)).containsExactly("data.bin");
      }
    }
  }

  @Nested
  @DisplayName("partial file left on disk by an earlier run")
  class PartialOnDisk {
    private Path target;

    @BeforeEach
    void target() {
      target = dir.resolve("data.bin");
    }

    private long leavePartialBehind() throws IOException {
      server.cutNextBodyAfter("/data.bin", CUT);
      TransferException e =
          failure(fetcher(0), new FetchRequest(server.uri("/data.bin"), target, null));
      assertThat(e.isRetryable()).isFalse();
      assertThat(e)
          .hasMessageContaining("gave up on " + server.uri("/data.bin") + " after 1 attempts");
      assertThat(target).doesNotExist();
      List<Path> parts = partFiles(dir);
      assertThat(parts).hasSize(1);
      assertThat(parts.get(0).getFileName().toString()).startsWith(".data.bin.");
      long size = Files.size(parts.get(0));
      assertThat(size).isPositive().isLessThanOrEqualTo(CUT);
      return size;
    }

    @Test
    void isResumedByTheNextFetchWhenAChecksumWillVerifyIt() throws IOException {
      long partial = leavePartialBehind();

      FetchResult result =
          fetcher()
              .fetch(
                  new FetchRequest(
                      server.uri("/data.bin"),
                      target,
                      Checksum.parse("sha256:" + sha256(content))));

      assertThat(Files.readAllBytes(target)).isEqualTo(content);
      assertThat(result.resumedFrom()).isEqualTo(partial);
      assertThat(result.attempts()).isEqualTo(1);
      assertThat(gets()).hasSize(2);
      assertThat(gets().get(1).range()).isEqualTo("bytes=" + partial + "-");
      assertThat(namesIn(dir)).containsExactly("data.bin");
    }

    @Test
    void isFetchedAgainWhenNoChecksumCanVerifyIt() throws IOException {
      leavePartialBehind();

      FetchResult result = fetcher().fetch(new FetchRequest(server.uri("/data.bin"), target, null));

      assertThat(Files.readAllBytes(target)).isEqualTo(content);
      assertThat(result.resumedFrom()).isZero();
      assertThat(result.checksum().hex()).isEqualTo(crc32c(content));
      assertThat(gets().get(1).range()).isNull();
    }

    @Test
    void ofAVersionReplacedDuringTheRunIsRemovedByTheSameFetcher() throws IOException {
      Fetcher fetcher = fetcher(0);
      server.cutNextBodyAfter("/data.bin", CUT);
      failure(fetcher, new FetchRequest(server.uri("/data.bin"), target, null));
      assertThat(partFiles(dir)).hasSize(1);
      byte[] changed = randomBytes(SIZE + 1, 44);
      server.serve("/data.bin", changed);

      fetcher.fetch(new FetchRequest(server.uri("/data.bin"), target, null));

      assertThat(Files.readAllBytes(target)).isEqualTo(changed);
      assertThat(namesIn(dir)).containsExactly("data.bin");
    }

    @Test
    void isDiscardedWhenTheObjectChanged() throws IOException {
      leavePartialBehind();
      byte[] changed = randomBytes(SIZE + 1, 43);
      server.serve("/data.bin", changed);

      FetchResult result = fetcher().fetch(new FetchRequest(server.uri("/data.bin"), target, null));

      assertThat(Files.readAllBytes(target)).isEqualTo(changed);
      assertThat(result.resumedFrom()).isZero();
      assertThat(gets().get(1).range()).isNull();
      assertThat(namesIn(dir)).containsExactly("data.bin");
    }
  }
}
