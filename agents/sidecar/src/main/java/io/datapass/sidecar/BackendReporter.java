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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each transition as JSON to the backend, in order, from a queue of its own: a slow or
 * unreachable backend never blocks the state machine. A failed POST (connection error, timeout,
 * HTTP 408, 429, 5xx) is retried with backoff until it succeeds or {@link #flush} gives up at its
 * deadline, logging what was lost; any other answer drops that transition with a log line. When the
 * queue is full the oldest pending transition makes room.
 */
final class BackendReporter implements StateReporter {
  private static final Logger log = LoggerFactory.getLogger(BackendReporter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TIMEOUT_MILLIS = 10_000;

  private final URI url;
  private final Path tokenFile;
  private final int capacity;
  private final RetryPolicy backoff;
  private final Deque<Transition> queue = new ArrayDeque<>();
  private final Thread sender;
  private String lastError;
  private boolean retryNow;

  /**
   * @param tokenFile holds a bearer token, read for each POST (so a rotated token is picked up);
   *     may be null
   */
  BackendReporter(URI url, Path tokenFile, int capacity, RetryPolicy backoff) {
    this.url = url;
    this.tokenFile = tokenFile;
    this.capacity = capacity;
    this.backoff = backoff;
    this.sender = new Thread(this::sendAll, "backend");
    sender.setDaemon(true);
    sender.start();
  }

  @Override
  public synchronized void report(Transition transition) {
    if (queue.size() >= capacity) {
      log.warn("backend queue full ({}): {} dropped", capacity, queue.removeFirst().describe());
    }
    queue.addLast(transition);
    notifyAll();
  }

  @Override
  public synchronized boolean flush(Instant deadline) throws InterruptedException {
    retryNow = true; // the end is near: no more waiting out a long backoff
    notifyAll();
    while (!queue.isEmpty()) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0) {
        log.error(
            "backend {}: {} transitions not delivered, the last one {}; last error: {}",
            url,
            queue.size(),
            queue.peekLast().describe(),
            lastError);
        return false;
      }
      wait(left);
    }
    return true;
  }

  @Override
  public void close() {
    sender.interrupt();
  }

  private void sendAll() {
    try {
      while (true) {
        Transition next = nextToSend();
        for (int attempt = 1; ; attempt++) {
          Failure failure = post(next);
          if (failure == null || !failure.retryable()) {
            if (failure != null) {
              log.error(
                  "backend {} refused {}: {}; dropped", url, next.describe(), failure.message());
            }
            delivered(next);
            break;
          }
          Duration wait = backoff.delayBefore(attempt, ThreadLocalRandom.current());
          log.warn(
              "backend {}: {} not delivered ({}); retry {} in {} ms",
              url,
              next.state(),
              failure.message(),
              attempt,
              wait.toMillis());
          pause(wait, failure.message());
          if (!isNext(next)) {
            break; // a full queue dropped it meanwhile
          }
        }
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  private synchronized Transition nextToSend() throws InterruptedException {
    while (queue.isEmpty()) {
      wait();
    }
    return queue.peekFirst();
  }

  private synchronized boolean isNext(Transition transition) {
    return queue.peekFirst() == transition;
  }

  /** Removes the delivered transition, unless a full queue already dropped it. */
  private synchronized void delivered(Transition transition) {
    if (queue.peekFirst() == transition) {
      queue.removeFirst();
    }
    notifyAll();
  }

  private synchronized void pause(Duration wait, String error) throws InterruptedException {
    lastError = error;
    long until = System.nanoTime() + wait.toNanos();
    while (!retryNow && System.nanoTime() < until) {
      wait(Math.max((until - System.nanoTime()) / 1_000_000, 1));
    }
    retryNow = false;
  }

  private record Failure(String message, boolean retryable) {}

  /** One POST; null when the backend took it. */
  private Failure post(Transition transition) {
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
