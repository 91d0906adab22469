package io.datapass.transfer.storage.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * An {@code Authorization} header value read from a file (a mounted Secret), never from the
 * manifest. {@link #toString()} never shows the secret.
 */
public final class HttpCredentials {
  private final String scheme;
  private final String headerValue;
  private final Path origin;

  private HttpCredentials(String scheme, String headerValue, Path origin) {
    this.scheme = scheme;
    this.headerValue = headerValue;
    this.origin = origin;
  }

  /** A file holding a bearer token (surrounding whitespace ignored). */
  public static HttpCredentials bearerTokenFile(Path file) throws IOException {
    return new HttpCredentials("Bearer", "Bearer " + readSecret(file), file);
  }

  /** A file holding {@code user:password} on its first line. */
  public static HttpCredentials basicAuthFile(Path file) throws IOException {
    String userAndPassword = readSecret(file).lines().findFirst().orElse("");
    if (!userAndPassword.contains(":")) {
      throw new IOException("basic-auth file " + file + " must hold 'user:password'");
    }
    String encoded =
        Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    return new HttpCredentials("Basic", "Basic " + encoded, file);
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
