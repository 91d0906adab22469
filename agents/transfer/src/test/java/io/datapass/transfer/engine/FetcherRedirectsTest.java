package io.datapass.transfer.engine;

import static io.datapass.transfer.testing.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.http.HttpSource;
import io.datapass.transfer.testing.HttpTestServer;
import io.datapass.transfer.testing.TestTls;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redirects a hostile server sends: from https to plain http (the content would travel in clear)
 * and to the cloud metadata addresses. A real https server on loopback, trusted by its own
 * certificate.
 */
@DisplayName("Fetcher following redirects")
class FetcherRedirectsTest {
  private static SSLSocketFactory defaultFactory;
  private static TestTls tls;

  @TempDir Path dir;
  private HttpTestServer https;
  private HttpTestServer http;
  private ProgressReporter progress;
  private final byte[] content = randomBytes(100_000, 5);

  @BeforeAll
  static void trustTheTestCertificate(@TempDir Path tlsDir) throws Exception {
    tls = TestTls.create(tlsDir);
    defaultFactory = HttpsURLConnection.getDefaultSSLSocketFactory();
    HttpsURLConnection.setDefaultSSLSocketFactory(tls.clientContext().getSocketFactory());
  }

  @AfterAll
  static void restore() {
    HttpsURLConnection.setDefaultSSLSocketFactory(defaultFactory);
  }

  @BeforeEach
  void start() throws IOException {
    https = HttpTestServer.startHttps(tls).serve("/data.bin", content);
    http = HttpTestServer.start().serve("/data.bin", content);
    progress = new ProgressReporter(Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    progress.close();
    https.close();
    http.close();
  }

  private Fetcher fetcher(boolean allowDowngrade) {
    HttpSource source =
        new HttpSource(null, Duration.ofSeconds(5), Duration.ofSeconds(10))
            .allowingHttpsToHttpRedirects(allowDowngrade);
    SourceRegistry sources =
        new SourceRegistry().register("http", () -> source).register("https", () -> source);
    return new Fetcher(
        sources,
        TransferSettings.defaults()
            .withRetryPolicy(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50))),
        progress);
  }

  @Test
  void httpsItselfWorks() throws IOException {
    fetcher(false).fetch(new FetchRequest(https.uri("/data.bin"), dir.resolve("d"), null));
    assertThat(dir.resolve("d")).hasBinaryContent(content);
  }

  @Test
  void aRedirectFromHttpsToPlainHttpIsRefused() {
    https.redirect("/data.bin", http.uri("/data.bin"));

    TransferException e =
        catchThrowableOfType(
            TransferException.class,
            () ->
                fetcher(false)
                    .fetch(new FetchRequest(https.uri("/data.bin"), dir.resolve("d"), null)));

    assertThat(e).isNotNull().hasMessageContaining("from https to plain http");
    assertThat(e).hasMessageContaining("DATAPASS_HTTP_ALLOW_DOWNGRADE");
    assertThat(e.isRetryable()).isFalse();
    assertThat(http.requests()).isEmpty();
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void aRedirectFromHttpsToPlainHttpIsFollowedWhenAllowed() throws IOException {
    https.redirect("/data.bin", http.uri("/data.bin"));

    fetcher(true).fetch(new FetchRequest(https.uri("/data.bin"), dir.resolve("d"), null));

    assertThat(Files.readAllBytes(dir.resolve("d"))).isEqualTo(content);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/computeMetadata/v1/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[fe80::1]/x",
        "http://metadata.google.internal/computeMetadata/v1/"
      })
  void aRedirectToACloudMetadataAddressIsRefused(String metadata) {
    http.redirect("/data.bin", URI.create(metadata));

    TransferException e =
        catchThrowableOfType(
            TransferException.class,
            () ->
                fetcher(true)
                    .fetch(new FetchRequest(http.uri("/data.bin"), dir.resolve("d"), null)));

    assertThat(e)
        .isNotNull()
        .hasMessageContaining("refused: a redirect to")
        .hasMessageContaining("metadata");
    assertThat(e.isRetryable()).isFalse();
  }
}
