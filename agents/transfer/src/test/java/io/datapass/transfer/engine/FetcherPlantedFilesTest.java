package io.datapass.transfer.engine;

import static io.datapass.transfer.testing.TestData.randomBytes;
import static io.datapass.transfer.testing.TestData.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.storage.RemoteObject;
import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.http.HttpSource;
import io.datapass.transfer.testing.HttpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a payload may plant in the input directory before a restart (links, a forged partial file)
 * never makes the fetcher write outside it or pass unverified bytes as a download.
 */
@DisplayName("Fetcher with files planted in the input directory")
class FetcherPlantedFilesTest {
  private static final int SIZE = 64 << 10;

  @TempDir Path dir;
  private Path dest;
  private Path elsewhere;
  private HttpTestServer server;
  private ProgressReporter progress;
  private final byte[] content = randomBytes(SIZE, 7);

  @BeforeEach
  void start() throws IOException {
    dest = Files.createDirectory(dir.resolve("input"));
    elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    server = HttpTestServer.start().serve("/data.bin", content);
    progress = new ProgressReporter(Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    progress.close();
    server.close();
  }

  private Fetcher fetcher() {
    SourceRegistry sources =
        new SourceRegistry()
            .register(
                "http", () -> new HttpSource(null, Duration.ofSeconds(5), Duration.ofSeconds(10)));
    return new Fetcher(
        sources,
        TransferSettings.defaults()
            .withRetryPolicy(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50))),
        progress);
  }

  private FetchRequest request(Path target, Checksum expected) {
    return new FetchRequest(server.uri("/data.bin"), target, expected, dest);
  }

  /** The partial file the fetcher will use for the test object at {@code target}. */
  private Path partialFor(Path target) throws IOException {
    RemoteObject object =
        new HttpSource(null, Duration.ofSeconds(5), Duration.ofSeconds(10))
            .stat(server.uri("/data.bin"));
    return PartialFile.pathFor(target, object);
  }

  @Test
  void aLinkedDirectoryOnTheWayIsRefusedAndNothingIsWrittenThrough() throws IOException {
    Files.createSymbolicLink(dest.resolve("data"), elsewhere);

    TransferException e =
        catchThrowableOfType(
            TransferException.class,
            () -> fetcher().fetch(request(dest.resolve("data/x.bin"), null)));

    assertThat(e).isNotNull().hasMessageContaining(dest.resolve("data") + " is a symbolic link");
    assertThat(e.isRetryable()).isFalse();
    try (var left = Files.list(elsewhere)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aLinkPlantedAsThePartialFileIsReplacedNotWrittenThrough() throws IOException {
    Path target = dest.resolve("data.bin");
    Path victim = Files.writeString(elsewhere.resolve("victim.txt"), "keep me");
    Files.createSymbolicLink(partialFor(target), victim);

    fetcher().fetch(request(target, null));

    assertThat(victim).hasContent("keep me");
    assertThat(Files.isSymbolicLink(target)).isFalse();
    assertThat(Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(target).hasBinaryContent(content);
  }

  @Test
  void aHardLinkPlantedAsThePartialFileIsReplacedNotWrittenThrough() throws IOException {
    Path target = dest.resolve("data.bin");
    Path victim = Files.writeString(elsewhere.resolve("victim.txt"), "keep me");
    Files.createLink(partialFor(target), victim);

    fetcher().fetch(request(target, null));

    assertThat(victim).hasContent("keep me");
    assertThat(target).hasBinaryContent(content);
  }

  @Test
  void aForgedPartialOfTheRightSizeIsFetchedAgainWhenNoChecksumCanVerifyIt() throws IOException {
    Path target = dest.resolve("data.bin");
    Files.write(partialFor(target), new byte[SIZE]);

    FetchResult result = fetcher().fetch(request(target, null));

    assertThat(target).hasBinaryContent(content);
    assertThat(result.resumedFrom()).isZero();
    assertThat(server.requests("GET", "/data.bin")).hasSize(1);
  }

  @Test
  void aPartialFromAnEarlierRunIsResumedWhenAChecksumVerifiesIt() throws IOException {
    Path target = dest.resolve("data.bin");
    byte[] half = java.util.Arrays.copyOf(content, SIZE / 2);
    Files.write(partialFor(target), half);

    FetchResult result =
        fetcher().fetch(request(target, Checksum.parse("sha256:" + sha256(content))));

    assertThat(target).hasBinaryContent(content);
    assertThat(result.resumedFrom()).isEqualTo(SIZE / 2);
    List<HttpTestServer.Request> gets = server.requests("GET", "/data.bin");
    assertThat(gets.get(0).range()).isEqualTo("bytes=" + SIZE / 2 + "-");
  }
}
