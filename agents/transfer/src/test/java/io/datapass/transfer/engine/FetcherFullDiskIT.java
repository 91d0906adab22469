package io.datapass.transfer.engine;

import static io.datapass.transfer.testing.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.http.HttpSource;
import io.datapass.transfer.testing.HttpTestServer;
import io.datapass.transfer.testing.SmallFilesystem;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads into a real 4 MiB tmpfs (mounted as root, as ci/test runs): a full disk is final, and
 * left clean.
 */
@DisplayName("Fetcher into a full filesystem")
class FetcherFullDiskIT {
  private static final int VOLUME = 4 << 20;
  private static final int SIZE = 12 << 20;

  @TempDir Path dir;
  private final byte[] content = randomBytes(SIZE, 11);
  private HttpTestServer server;
  private ProgressReporter progress;
  private SmallFilesystem volume;

  @BeforeEach
  void start() throws Exception {
    server = HttpTestServer.start().serve("/big.bin", content);
    progress = new ProgressReporter(Duration.ofSeconds(10), Duration.ofSeconds(30));
    volume = SmallFilesystem.mount(dir, VOLUME);
  }

  @AfterEach
  void stop() throws Exception {
    progress.close();
    server.close();
    if (volume != null) {
      volume.close();
    }
  }

  private TransferException fetchFails(Path target) {
    SourceRegistry sources =
        new SourceRegistry()
            .register(
                "http", () -> new HttpSource(null, Duration.ofSeconds(5), Duration.ofSeconds(10)));
    Fetcher fetcher =
        new Fetcher(
            sources,
            TransferSettings.defaults()
                .withRetryPolicy(new RetryPolicy(5, Duration.ofMillis(10), Duration.ofMillis(50))),
            progress);
    TransferException e =
        catchThrowableOfType(
            TransferException.class,
            () -> fetcher.fetch(new FetchRequest(server.uri("/big.bin"), target, null)));
    assertThat(e).as("fetch must fail").isNotNull();
    return e;
  }

  @Test
  void anObjectOfKnownSizeLargerThanTheFreeSpaceIsNotStarted() throws Exception {
    Path target = volume.root().resolve("big.bin");

    TransferException e = fetchFails(target);

    assertThat(e.isRetryable()).isFalse();
    assertThat(e)
        .hasMessageStartingWith(
            "not enough space for "
                + target
                + ": "
                + SIZE
                + " bytes (12.0 MiB) still "
                + "to write, ")
        .hasMessageContaining(" free in " + volume.root());
    assertThat(server.requests("GET", "/big.bin")).isEmpty();
    assertThat(volume.names()).isEmpty();
  }

  @Test
  void aFullDiskMidDownloadIsNotRetriedAndItsPartialFileIsRemoved() throws Exception {
    server.refuseHead(); // size unknown: no check before, the kernel's ENOSPC during the write
    Path target = volume.root().resolve("big.bin");

    TransferException e = fetchFails(target);

    assertThat(e.isRetryable()).isFalse();
    assertThat(e)
        .hasMessageStartingWith("no space left for " + target + " after ")
        .hasMessageContaining("size unknown")
        .hasMessageContaining("No space left on device");
    assertThat(server.requests("GET", "/big.bin")).hasSize(1);
    assertThat(volume.names()).isEmpty();
  }
}
