package io.datapass.sidecar;

import io.datapass.transfer.engine.RetryPolicy;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each transition to the sidecar's own pod (annotations and an Event, {@link
 * PodStateWriter}), in order, from a queue of its own, so an API server that is slow or down never
 * blocks the state machine. A write failing on the connection, or answered 408, 429 or 5xx, is
 * retried with backoff until {@link #flush} gives up at its deadline, and so is a 401 or 403: a
 * restarted API server refuses until its RBAC caches fill, and a Role can be fixed while the pod
 * runs. Only a request that cannot succeed (400, 404, 422) loses its transition at once; either way
 * the loss is logged and makes {@link #flush} return false.
 */
final class KubernetesReporter implements StateReporter {
  private static final Logger log = LoggerFactory.getLogger(KubernetesReporter.class);

  private final PodStateWriter pod;
  private final int capacity;
  private final RetryPolicy backoff;
  private final Deque<Transition> queue = new ArrayDeque<>();
  private final Thread sender;
  private String lastError;
  private int lost;
  private boolean retryNow;

  KubernetesReporter(PodStateWriter pod, int capacity, RetryPolicy backoff) {
    this.pod = pod;
    this.capacity = capacity;
    this.backoff = backoff;
    this.sender = new Thread(this::sendAll, "kubernetes-reporter");
    sender.setDaemon(true);
    sender.start();
  }

  @Override
  public synchronized void report(Transition transition) {
    if (queue.size() >= capacity) {
      lost++;
      log.warn(
          "{}: queue full ({}): {} dropped",
          pod.target(),
          capacity,
          queue.removeFirst().describe());
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
            "{}: {} transitions not written, the last one {}; last error: {}",
            pod.target(),
            queue.size(),
            queue.peekLast().describe(),
            lastError);
        return false;
      }
      wait(left);
    }
    if (lost > 0) {
      log.error(
          "{}: {} transitions were not written; last error: {}", pod.target(), lost, lastError);
    }
    return lost == 0;
  }

  @Override
  public void close() {
    sender.interrupt();
    pod.close();
  }

  private void sendAll() {
    try {
      while (true) {
        Transition next = nextToSend();
        for (int attempt = 1; ; attempt++) {
          Failure failure = write(next);
          if (failure == null) {
            delivered(next, null);
            break;
          }
          if (!failure.retryable()) {
            log.error("{} refused {}: {}; lost", pod.target(), next.describe(), failure.message());
            delivered(next, failure.message());
            break;
          }
          Duration wait = backoff.delayBefore(attempt, ThreadLocalRandom.current());
          log.warn(
              "{}: {} not written ({}); retry {} in {} ms",
              pod.target(),
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

  private record Failure(String message, boolean retryable) {}

  /** One write; null when the API server took it. */
  private Failure write(Transition transition) {
    try {
      pod.write(transition);
      return null;
    } catch (KubernetesClientException e) {
      int code = e.getCode(); // 0 or -1: no answer (refused, reset, timed out)
      String why = e.getStatus() != null ? e.getStatus().getMessage() : null;
      return new Failure(
          (code > 0 ? "HTTP " + code + ": " : "no answer: ") + (why != null ? why : e.getMessage()),
          code != 400 && code != 404 && code != 422);
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

  /** Removes the transition written (or refused), unless a full queue already dropped it. */
  private synchronized void delivered(Transition transition, String refusal) {
    if (refusal != null) {
      lost++;
      lastError = refusal;
    }
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
}
