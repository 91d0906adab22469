package io.datapass.transfer.engine;

import static io.datapass.transfer.testing.TestData.namesIn;
import static io.datapass.transfer.testing.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.http.HttpCredentials;
import io.datapass.transfer.storage.http.HttpOrigins;
import io.datapass.transfer.storage.http.HttpSource;
import io.datapass.transfer.testing.HttpTestServer;
import io.datapass.transfer.testing.HttpTestServer.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Fetcher over HTTP with credentials")
class FetcherHttpCredentialsTest {
  private static final String TOKEN = "s3cret-t0ken";

  @TempDir Path dir;
  private HttpTestServer server;
  private ProgressReporter progress;
  private final byte[] content = randomBytes(200_000, 11);

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

  private Fetcher fetcher(HttpCredentials credentials) {
    SourceRegistry sources =
        new SourceRegistry()
            .register(
                "http",
                () -> new HttpSource(credentials, Duration.ofSeconds(5), Duration.ofSeconds(10)));
    return new Fetcher(
        sources,
        TransferSettings.defaults()
            .withRetryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50))),
        progress);
  }

  private TransferException failure(Fetcher fetcher, FetchRequest request) {
    TransferException e =
        catchThrowableOfType(TransferException.class, () -> fetcher.fetch(request));
    assertThat(e).as("fetch must fail").isNotNull();
    return e;
  }

  /** The credentials bound to the test server's origin (plain http, but on loopback). */
  private HttpCredentials bound(HttpCredentials credentials) {
    return credentials.forOrigins(HttpOrigins.parse("http://" + server.uri("/").getRawAuthority()));
  }

  @Test
  void credentialsAreNotSentToAnOriginTheyAreNotFor() throws IOException {
    Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN);
    HttpCredentials credentials =
        HttpCredentials.bearerTokenFile(tokenFile)
            .forOrigins(HttpOrigins.parse("https://data.example.org, http://127.0.0.1:1"));

    fetcher(credentials).fetch(new FetchRequest(server.uri("/data.bin"), dir.resolve("d"), null));

    assertThat(server.requests())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.authorization()).isNull());
  }

  @Test
  void credentialsAreForHttpsOriginsOrLoopbackOnly() {
    assertThat(
            HttpOrigins.parse("https://Data.Example.org, https://h:8443/, http://localhost:8080"))
        .containsExactly("https://data.example.org:443", "https://h:8443", "http://localhost:8080");
    assertThat(
            catchThrowableOfType(
                IllegalArgumentException.class, () -> HttpOrigins.parse("http://data.example.org")))
        .hasMessageContaining("plain http");
    assertThat(
            catchThrowableOfType(
                IllegalArgumentException.class, () -> HttpOrigins.parse("https://h/path")))
        .hasMessageContaining("scheme://host[:port]");
  }

  @Test
  void bearerTokenFromFileIsSent() throws IOException {
    server.requireAuthorization("Bearer " + TOKEN);
    Path tokenFile = Files.writeString(dir.resolve("token"), "  " + TOKEN + "\n");
    HttpCredentials credentials = bound(HttpCredentials.bearerTokenFile(tokenFile));
    Path target = dir.resolve("data.bin");

    fetcher(credentials).fetch(new FetchRequest(server.uri("/data.bin"), target, null));

    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThat(server.requests()).extracting(Request::method).containsExactly("HEAD", "GET");
    assertThat(server.requests())
        .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
    assertThat(credentials.toString())
        .isEqualTo("Bearer credentials from " + tokenFile)
        .doesNotContain(TOKEN);
  }

  @Test
  void basicAuthFromFileIsSent() throws IOException {
    String expected =
        "Basic "
            + Base64.getEncoder().encodeToString("alice:pa:ss".getBytes(StandardCharsets.UTF_8));
    server.requireAuthorization(expected);
    Path file = Files.writeString(dir.resolve("basic"), "alice:pa:ss\nignored second line\n");

    fetcher(bound(HttpCredentials.basicAuthFile(file)))
        .fetch(new FetchRequest(server.uri("/data.bin"), dir.resolve("d"), null));

    assertThat(Files.readAllBytes(dir.resolve("d"))).isEqualTo(content);
    assertThat(server.requests())
        .allSatisfy(r -> assertThat(r.authorization()).isEqualTo(expected));
  }

  @Test
  void unauthorizedWithoutCredentialsIsPermanentAndNotRetried() throws IOException {
    server.requireAuthorization("Bearer " + TOKEN);

    TransferException e =
        failure(fetcher(null), new FetchRequest(server.uri("/data.bin"), dir.resolve("d"), null));

    assertThat(e.isRetryable()).isFalse();
    assertThat(e)
        .hasMessage(
            "access denied (HTTP 401 for "
                + server.uri("/data.bin")
                + "); check the credentials file");
    assertThat(server.requests()).singleElement().extracting(Request::authorization).isNull();
    assertThat(namesIn(dir)).isEmpty();
  }

  @Test
  void wrongTokenIsPermanent() throws IOException {
    server.requireAuthorization("Bearer " + TOKEN);
    Path tokenFile = Files.writeString(dir.resolve("token"), "not-the-token");

    TransferException e =
        failure(
            fetcher(bound(HttpCredentials.bearerTokenFile(tokenFile))),
            new FetchRequest(server.uri("/data.bin"), dir.resolve("d"), null));

    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessageContaining("HTTP 401").hasMessageNotContaining("not-the-token");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void credentialsDoNotFollowARedirectToAnotherOrigin() throws IOException {
    try (HttpTestServer other = HttpTestServer.start().serve("/elsewhere.bin", content)) {
      server.redirect("/data.bin", other.uri("/elsewhere.bin"));
      Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN);

      fetcher(bound(HttpCredentials.bearerTokenFile(tokenFile)))
          .fetch(new FetchRequest(server.uri("/data.bin"), dir.resolve("d"), null));

      assertThat(Files.readAllBytes(dir.resolve("d"))).isEqualTo(content);
      assertThat(server.requests())
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
      assertThat(other.requests()).extracting(Request::method).containsExactly("HEAD", "GET");
      assertThat(other.requests()).allSatisfy(r -> assertThat(r.authorization()).isNull());
    }
  }

  @Test
  void emptyTokenFileIsRefused() throws IOException {
    Path tokenFile = Files.writeString(dir.resolve("token"), " \n");

    IOException e =
        catchThrowableOfType(IOException.class, () -> HttpCredentials.bearerTokenFile(tokenFile));

    assertThat(e).hasMessage("credentials file " + tokenFile + " is empty");
  }

  @Test
  void basicAuthFileWithoutColonIsRefused() throws IOException {
    Path file = Files.writeString(dir.resolve("basic"), "alice\n");

    IOException e =
        catchThrowableOfType(IOException.class, () -> HttpCredentials.basicAuthFile(file));

    assertThat(e).hasMessage("basic-auth file " + file + " must hold 'user:password'");
  }
}
