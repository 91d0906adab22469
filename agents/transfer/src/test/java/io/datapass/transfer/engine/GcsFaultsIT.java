package io.datapass.transfer.engine;

import static io.datapass.transfer.testing.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datapass.transfer.storage.Locations;
import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.gcs.GcsClients;
import io.datapass.transfer.storage.gcs.GcsSource;
import io.datapass.transfer.testing.FakeGcsServer;
import io.datapass.transfer.testing.FaultInjectingProxy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transient GCS failures, made by a fault-injecting proxy in front of a real fake-gcs-server. */
@DisplayName("Fetcher from gs: with transient failures")
class GcsFaultsIT {
  private static final String BUCKET = "datapass-faults";
  private static final byte[] CONTENT = randomBytes(3 << 20, 17);
  private static final Predicate<FaultInjectingProxy.Request> LISTING =
      r -> r.method().equals("GET") && r.path().equals("/storage/v1/b/" + BUCKET + "/o");
  private static final Predicate<FaultInjectingProxy.Request> MEDIA =
      r -> r.query() != null && r.query().contains("alt=media");

  @TempDir static Path serverDir;
  private static FakeGcsServer gcs;

  @TempDir Path dir;
  private FaultInjectingProxy proxy;
  private ProgressReporter progress;
  private Fetcher fetcher;

  @BeforeAll
  static void startServer() throws Exception {
    gcs = FakeGcsServer.start(serverDir).createBucket(BUCKET);
    gcs.put(BUCKET, "runs/a.bin", CONTENT);
    gcs.put(BUCKET, "runs/b/c.bin", new byte[] {1, 2, 3});
  }

  @AfterAll
  static void stopServer() throws IOException {
    gcs.close();
  }

  @BeforeEach
  void setUp() throws IOException {
    proxy = FaultInjectingProxy.to(gcs.endpoint());
    progress = new ProgressReporter(Duration.ofSeconds(10), Duration.ofSeconds(30));
    SourceRegistry sources =
        new SourceRegistry()
            .register("gs", () -> new GcsSource(GcsClients.create(proxy.endpoint(), Map.of())));
    fetcher =
        new Fetcher(
            sources,
            TransferSettings.defaults()
                .withRetryPolicy(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50))),
            progress);
  }

  @AfterEach
  void tearDown() {
    progress.close();
    proxy.close();
  }

  private static URI gs(String name) {
    return Locations.parse("gs://" + BUCKET + "/" + name);
  }

  @Test
  void aListingAnswered503OnceIsRetried() throws IOException {
    proxy.failNext(LISTING, 503, 1);

    List<URI> listed = fetcher.list(gs("runs/"));

    assertThat(listed).containsExactly(gs("runs/a.bin"), gs("runs/b/c.bin"));
    assertThat(proxy.requests(LISTING)).hasSize(2);
  }

  @Test
  void aListingThatKeepsFailingGivesUpAfterTheRetries() {
    proxy.failNext(LISTING, 503, 100);

    TransferException e =
        catchThrowableOfType(TransferException.class, () -> fetcher.list(gs("runs/")));

    assertThat(e).isNotNull();
    assertThat(e.isRetryable()).isFalse();
    assertThat(e)
        .hasMessageStartingWith(
            "gave up on listing " + gs("runs/") + " after 3 attempts: GCS HTTP 503");
    assertThat(proxy.requests(LISTING)).hasSize(3);
  }

  @Test
  void aMediaBodyCutAtHalfIsResumedFromTheBytesOnDisk() throws IOException {
    proxy.cutNextBody(MEDIA, CONTENT.length / 2);
    Path target = dir.resolve("a.bin");

    FetchResult result = fetcher.fetch(new FetchRequest(gs("runs/a.bin"), target, null));

    assertThat(Files.readAllBytes(target)).isEqualTo(CONTENT);
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(result.resumedFrom()).isPositive().isLessThanOrEqualTo(CONTENT.length / 2);
    assertThat(proxy.requests(MEDIA)).hasSize(2);
  }
}
