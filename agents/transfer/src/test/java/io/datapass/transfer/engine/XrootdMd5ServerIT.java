package io.datapass.transfer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.xrootd.XrootdSource;
import io.datapass.transfer.testing.TestData;
import io.datapass.xrootd.XrootdClient;
import io.datapass.xrootd.XrootdSettings;
import io.datapass.xrootd.XrootdUrl;
import io.datapass.xrootd.testing.XrootdTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server keeping md5 instead of adler32: the engine hashes adler32 while reading (what grid
 * servers keep) and checks the server's md5 from the bytes on disk when that is what it answers.
 */
@DisplayName("root:// against an xrootd that keeps md5 checksums")
class XrootdMd5ServerIT {
  private static XrootdTestServer server;
  private static XrootdClient client;
  private static ProgressReporter progress;
  private static Fetcher fetcher;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    server = XrootdTestServer.withChecksum("md5");
    client = new XrootdClient(XrootdSettings.defaults().withRequestTimeout(Duration.ofSeconds(20)));
    progress = new ProgressReporter(Duration.ofSeconds(1), Duration.ofSeconds(30));
    SourceRegistry sources =
        new SourceRegistry().register("root", () -> new XrootdSource(client, 1 << 20, 4));
    fetcher =
        new Fetcher(
            sources,
            TransferSettings.defaults()
                .withRetryPolicy(
                    new RetryPolicy(2, Duration.ofMillis(100), Duration.ofMillis(200))),
            progress);
  }

  @AfterAll
  static void stop() throws Exception {
    if (progress != null) {
      progress.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void verifiesAgainstTheServersMd5() throws Exception {
    byte[] content = TestData.randomBytes(3_000_000, 7);
    server.put("md5/ok.bin", content);

    FetchResult result =
        fetcher.fetch(new FetchRequest(server.url("md5/ok.bin"), dir.resolve("ok.bin"), null));

    assertThat(client.checksum(XrootdUrl.of(server.url("md5/ok.bin"))))
        .containsExactly("md5", TestData.md5(content));
    assertThat(dir.resolve("ok.bin")).hasBinaryContent(content);
    assertThat(result.checksum().algorithm()).isEqualTo(ChecksumAlgorithm.ADLER32);
  }

  /**
   * Bytes changed on the server's disk behind its stored md5 (same mtime): silent corruption,
   * caught.
   */
  @Test
  void aServerMd5ThatDisagreesWithTheBytesFailsAndLeavesNothing() throws Exception {
    byte[] content = TestData.randomBytes(2_000_000, 8);
    Path stored = server.put("md5/rotten.bin", content);
    client.checksum(XrootdUrl.of(server.url("md5/rotten.bin"))); // the server stores its md5
    FileTime mtime = Files.getLastModifiedTime(stored);
    content[1_000_000] ^= 0x01;
    Files.write(stored, content);
    Files.setLastModifiedTime(stored, mtime);
    Path target = dir.resolve("rotten.bin");

    assertThatThrownBy(
            () -> fetcher.fetch(new FetchRequest(server.url("md5/rotten.bin"), target, null)))
        .isInstanceOfSatisfying(
            TransferException.class,
            e -> {
              assertThat(e.isRetryable()).isFalse();
              assertThat(e.getMessage()).contains("checksum mismatch", "rotten.bin", "md5:");
            });
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }
}
