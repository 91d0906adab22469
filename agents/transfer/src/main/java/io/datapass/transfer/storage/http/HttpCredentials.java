package io.datapass.transfer.storage.http;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;

/**
 * An {@code Authorization} header value read from a file (a mounted Secret), never from the
 * manifest, and the origins it is for: it is sent to nothing else, and never over plain http off
 * this host ({@link HttpOrigins}). {@link #toString()} never shows the secret.
 */
public final class HttpCredentials {
  private final String scheme;
  private final String headerValue;
  private final Path origin;
  private final Set<String> origins;

  private HttpCredentials(String scheme, String headerValue, Path origin, Set<String> origins) {
    this.scheme = scheme;
    this.headerValue = headerValue;
    this.origin = origin;
    this.origins = Set.copyOf(origins);
  }

  /** These credentials, sent to {@code origins} (as {@link HttpOrigins#parse} gives them) only. */
  public HttpCredentials forOrigins(Set<String> origins) {
    return new HttpCredentials(scheme, headerValue, origin, origins);
  }

  /** True when {@code uri} lies in one of the credentials' origins and may receive them. */
  public boolean appliesTo(URI uri) {
    return HttpOrigins.safeToSend(uri) && origins.contains(HttpOrigins.of(uri));
  }

  /**
   * A file holding a bearer token (surrounding whitespace ignored), for no origin until {@link
   * #forOrigins}.
   */
  public static HttpCredentials bearerTokenFile(Path file) throws IOException {
    return new HttpCredentials("Bearer", "Bearer " + readSecret(file), file, Set.of());
  }

  /** A file holding {@code user:password} on its first line. */
  public static HttpCredentials basicAuthFile(Path file) throws IOException {
    String userAndPassword = readSecret(file).lines().findFirst().orElse("");
    if (!userAndPassword.contains(":")) {
      throw new IOException("basic-auth file " + file + " must hold 'user:password'");
    }
    String encoded =
        Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    return new HttpCredentials("Basic", "Basic " + encoded, file, Set.of());
  }

  public String headerValue() {
    return headerValue;
  }

  private static String readSecret(Path file) throws IOException {
    String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (secret.isEmpty()) {
      throw new IOException("credentials file " + file + " is empty");
    }
    return secret;
  }

  @Override
  public String toString() {
    return scheme + " credentials from " + origin;
  }
}
