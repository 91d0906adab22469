package io.datapass.sidecar;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.common.Secrets;
import io.datapass.transfer.engine.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * POSTs each transition as JSON to the backend, in order ({@link QueuedReporter}). A failed POST
 * (connection error, timeout, HTTP 408, 429, 5xx) is retried; any other answer drops that
 * transition with a log line.
 */
final class BackendReporter extends QueuedReporter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TIMEOUT_MILLIS = 10_000;

  private final URI url;
  private final Path tokenFile;

  /**
   * @param tokenFile holds a bearer token, read for each POST (so a rotated token is picked up);
   *     may be null
   */
  BackendReporter(URI url, Path tokenFile, int capacity, RetryPolicy backoff) {
    super("backend " + url, "delivered", false, capacity, backoff);
    this.url = url;
    this.tokenFile = tokenFile;
    start();
  }

  /** One POST; null when the backend took it. */
  @Override
  Failure send(Transition transition) {
    try {
      byte[] body = JSON.writeValueAsBytes(transition);
      HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
      connection.setConnectTimeout(TIMEOUT_MILLIS);
      connection.setReadTimeout(TIMEOUT_MILLIS);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(body.length);
      connection.setRequestProperty("Content-Type", "application/json");
      String token = token();
      if (token != null) {
        connection.setRequestProperty("Authorization", "Bearer " + token);
      }
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      try (InputStream in =
          status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        if (in != null) {
          in.readAllBytes(); // read to the end, so the connection can be reused
        }
      }
      if (status / 100 == 2) {
        return null;
      }
      return new Failure("HTTP " + status, status == 408 || status == 429 || status >= 500);
    } catch (IOException e) {
      return new Failure(e.toString(), true);
    }
  }

  private String token() throws IOException {
    if (tokenFile == null) {
      return null;
    }
    String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    Secrets.hide(token);
    return token;
  }
}
