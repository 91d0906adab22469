package io.datapass.sidecar;

import io.datapass.transfer.engine.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each transition, in order, from a queue of its own on one thread, so a slow or unreachable
 * peer never blocks the state machine. A send that fails in a way worth retrying is retried with
 * backoff until it succeeds or {@link #flush} gives up at its deadline, logging what was lost; when
 * the queue is full the oldest pending transition makes room. Subclasses say how one transition is
 * sent, and may send something of their own on the same thread while no transition waits ({@link
 * #between}).
 */
abstract class QueuedReporter implements StateReporter {
  private static final Logger log = LoggerFactory.getLogger(QueuedReporter.class);

  /** Why a send failed, and whether another attempt may succeed. */
  record Failure(String message, boolean retryable) {}

  private final String peer;
  private final String sent;
  private final boolean refusalIsLoss;
  private final int capacity;
  private final RetryPolicy backoff;
  private final Deque<Transition> queue = new ArrayDeque<>();
  private final Thread sender;
  private String lastError;
  private int lost;
  private boolean retryNow;
  private Duration betweenEvery;

  /**
   * @param peer who receives the transitions, for log lines ("backend http://...", "pod ns/name")
   * @param sent the past participle log lines use ("delivered", "written")
   * @param refusalIsLoss whether a transition refused for good makes {@link #flush} fail, or is
   *     only logged and dropped
   */
  QueuedReporter(
      String peer, String sent, boolean refusalIsLoss, int capacity, RetryPolicy backoff) {
    this.peer = peer;
    this.sent = sent;
    this.refusalIsLoss = refusalIsLoss;
    this.capacity = capacity;
    this.backoff = backoff;
    this.sender = new Thread(this::sendAll, "reporter " + peer);
    sender.setDaemon(true);
  }

  /** Starts the sender: the subclass calls it once it is fully built. */
  final void start() {
    sender.start();
  }

  /** Sends one transition; null when the peer took it. */
  abstract Failure send(Transition transition);

  /**
   * Has {@link #between} called every {@code every} while no transition waits; call before {@link
   * #start}.
   */
  final void sendBetween(Duration every) {
    this.betweenEvery = every;
  }

  /**
   * Run on the sender thread while no transition waits, so that it is ordered with the transitions;
   * what it sends is its own to retry (the next call).
   */
  void between() {}

  @Override
  public synchronized void report(Transition transition) {
    if (queue.size() >= capacity) {
      lost += refusalIsLoss ? 1 : 0;
      log.warn("{}: queue full ({}): {} dropped", peer, capacity, queue.removeFirst().describe());
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
            "{}: {} transitions not {}, the last one {}; last error: {}",
            peer,
            queue.size(),
            sent,
            queue.peekLast().describe(),
            lastError);
        return false;
      }
      wait(left);
    }
    if (lost > 0) {
      log.error("{}: {} transitions were not {}; last error: {}", peer, lost, sent, lastError);
    }
    return lost == 0;
  }

  @Override
  public void close() {
    sender.interrupt();
  }

  private void sendAll() {
    try {
      while (true) {
        Transition next = nextToSend();
        if (next == null) {
          between();
          continue;
        }
        for (int attempt = 1; ; attempt++) {
          Failure failure = send(next);
          if (failure == null) {
            delivered(next, null);
            break;
          }
          if (!failure.retryable()) {
            log.error(
                "{} refused {}: {}; {}",
                peer,
                next.describe(),
                failure.message(),
                refusalIsLoss ? "lost" : "dropped");
            delivered(next, refusalIsLoss ? failure.message() : null);
            break;
          }
          Duration wait = backoff.delayBefore(attempt, ThreadLocalRandom.current());
          log.warn(
              "{}: {} not {} ({}); retry {} in {} ms",
              peer,
              next.state(),
              sent,
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

  /** The next transition; null when none came for {@link #sendBetween}'s time. */
  private synchronized Transition nextToSend() throws InterruptedException {
    long until = betweenEvery == null ? 0 : System.nanoTime() + betweenEvery.toNanos();
    while (queue.isEmpty()) {
      if (betweenEvery == null) {
        wait();
      } else {
        long left = until - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        wait(Math.max(left / 1_000_000, 1));
      }
    }
    return queue.peekFirst();
  }

  private synchronized boolean isNext(Transition transition) {
    return queue.peekFirst() == transition;
  }

  /** Removes the transition sent (or refused), unless a full queue already dropped it. */
  private synchronized void delivered(Transition transition, String loss) {
    if (loss != null) {
      lost++;
      lastError = loss;
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
