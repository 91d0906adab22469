package io.datapass.transfer.engine;

import static io.datapass.transfer.testing.TestData.namesIn;
import static io.datapass.transfer.testing.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.storage.DiskSpace;
import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.http.HttpSource;
import io.datapass.transfer.testing.HttpTestServer;
import io.datapass.transfer.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The free-space check before a download of known size, with a stubbed usable-space function (the
 * real one, on a real full filesystem, is in FetcherFullDiskIT). The server is a real one on
 * loopback.
 */
class FetcherDiskSpaceTest {
  private static final int SIZE = 3 << 20;

  @TempDir Path dir;
  private final byte[] content = randomBytes(SIZE, 9);
  private HttpTestServer server;
  private ProgressReporter progress;

  @BeforeEach
  void start() throws IOException {
    server = HttpTestServer.start().serve("/big.bin", content);
    progress = new ProgressReporter(Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    progress.close();
    server.close();
  }

  private Fetcher fetcherWithStubbedFreeSpace(long freeBytes) {
    SourceRegistry sources =
        new SourceRegistry()
            .register(
                "http", () -> new HttpSource(null, Duration.ofSeconds(5), Duration.ofSeconds(10)));
    TransferSettings settings =
        TransferSettings.defaults()
            .withRetryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)));
    return new Fetcher(sources, settings, progress, new DiskSpace(directory -> freeBytes));
  }

  @Test
  void anObjectLargerThanTheStubbedFreeSpaceFailsAtOnceNamingBothNumbers() throws IOException {
    Path target = dir.resolve("big.bin");

    TransferException e =
        catchThrowableOfType(
            TransferException.class,
            () ->
                fetcherWithStubbedFreeSpace(1 << 20)
                    .fetch(new FetchRequest(server.uri("/big.bin"), target, null)));

    assertThat(e).isNotNull();
    assertThat(e.isRetryable()).isFalse();
    assertThat(e)
        .hasMessage(
            "not enough space for "
                + target
                + ": 3145728 bytes (3.0 MiB) still to write, "
                + "1048576 bytes (1.0 MiB) free in "
                + dir);
    assertThat(server.requests("GET", "/big.bin")).isEmpty();
    assertThat(namesIn(dir)).isEmpty();
  }

  /** An earlier run's bytes are resumed only when a checksum verifies the whole file. */
  private static Checksum sha256Of(byte[] bytes) {
    return Checksum.parse("sha256:" + TestData.sha256(bytes));
  }

  @Test
  void bytesAlreadyOnDiskCountTowardsTheRoomNeeded() throws IOException {
    Path target = dir.resolve("big.bin");
    Path partial =
        PartialName.of(target, server.uri("/big.bin").toString(), server.etag("/big.bin"));
    Files.write(partial, Arrays.copyOf(content, 2 << 20)); // an earlier run's first 2 MiB

    FetchResult result =
        fetcherWithStubbedFreeSpace(SIZE - (2 << 20) + 100_000)
            .fetch(new FetchRequest(server.uri("/big.bin"), target, sha256Of(content)));

    assertThat(result.resumedFrom()).isEqualTo(2 << 20);
    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThat(namesIn(dir)).containsExactly("big.bin");
  }
}
