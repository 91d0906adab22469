package io.datapass.kube;

import io.fabric8.kubernetes.client.OAuthTokenProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod's service-account token, read from its file for every request: the kubelet rotates bound
 * tokens (about hourly) by replacing the file, and a token read once at start would expire under a
 * long-running agent. The file is small and in memory (a projected volume), so reading it costs
 * microseconds.
 */
public final class ServiceAccountToken implements OAuthTokenProvider {
  private static final Logger log = LoggerFactory.getLogger(ServiceAccountToken.class);

  private final Path file;
  private final Consumer<String> onNewToken;
  private volatile String current;

  /**
   * Reads the token once now, so a missing or unreadable file fails at start.
   *
   * @param onNewToken told each distinct token read (to keep it out of logs)
   */
  public ServiceAccountToken(Path file, Consumer<String> onNewToken) throws IOException {
    this.file = file;
    this.onNewToken = onNewToken;
    this.current = read();
  }

  @Override
  public String getToken() {
    try {
      return read();
    } catch (IOException | UncheckedIOException e) {
      // the kubelet swaps the file atomically, so this is rare; the last token may still be valid
      log.warn(
          "cannot read the service-account token {} again ({}); using the one read before",
          file,
          e.toString());
      return current;
    }
  }

  private String read() throws IOException {
    String token = Files.readString(file).strip();
    if (token.isEmpty()) {
      throw new IOException(file + " is empty");
    }
    if (!token.equals(current)) {
      onNewToken.accept(token);
      current = token;
    }
    return token;
  }
}
