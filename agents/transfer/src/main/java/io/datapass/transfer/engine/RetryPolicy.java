package io.datapass.transfer.engine;
import io.datapass.transfer.storage.TransferException;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded retries with exponential backoff and full jitter: before retry {@code n} wait a random time in
 * {@code [0, min(maxDelay, initialDelay * 2^(n-1))]}, so many pods failing together do not retry together.
 *
 * @param retries how many failures in a row (without progress in between) are retried
 */
public record RetryPolicy(int retries, Duration initialDelay, Duration maxDelay) {

  public RetryPolicy {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0, got " + retries);
    }
  }

  public static RetryPolicy standard(int retries) {
    return new RetryPolicy(retries, Duration.ofSeconds(1), Duration.ofSeconds(60));
  }

  /** Sleeps {@code wait} before a retry; an interrupt ends the retries. */
  public void waitBefore(Duration wait, String what) throws TransferException {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TransferException.permanent("interrupted while " + what, e);
    }
  }

  /** The wait before retry number {@code retry} (1 for the first). */
  public Duration delayBefore(int retry) {
    long ceiling = initialDelay.toMillis() << Math.min(retry - 1, 20);
    long bounded = Math.min(Math.max(ceiling, 1), maxDelay.toMillis());
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bounded + 1));
  }
}
