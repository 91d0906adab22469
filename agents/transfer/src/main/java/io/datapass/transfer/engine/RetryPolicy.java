package io.datapass.transfer.engine;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how long a remote call is retried ({@link Retrier}): at most {@code retries}
 * retries, and none that would start more than {@code maxTime} after the first failure, however
 * many bytes the attempts moved meanwhile. Before retry {@code n} a random wait in {@code [0,
 * min(maxDelay, initialDelay * 2^(n-1))]} (full jitter), so many pods failing together do not retry
 * together.
 */
public record RetryPolicy(int retries, Duration initialDelay, Duration maxDelay, Duration maxTime) {
  /**
   * Long enough for a few stall timeouts and the longest backoffs; a storage down for longer is the
   * Job's to wait.
   */
  public static final Duration DEFAULT_MAX_TIME = Duration.ofMinutes(30);

  public RetryPolicy {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0, got " + retries);
    }
    if (maxTime.isNegative()) {
      throw new IllegalArgumentException("maxTime must be >= 0, got " + maxTime);
    }
  }

  public RetryPolicy(int retries, Duration initialDelay, Duration maxDelay) {
    this(retries, initialDelay, maxDelay, DEFAULT_MAX_TIME);
  }

  public static RetryPolicy standard(int retries) {
    return new RetryPolicy(retries, Duration.ofSeconds(1), Duration.ofSeconds(60));
  }

  public RetryPolicy withMaxTime(Duration time) {
    return new RetryPolicy(retries, initialDelay, maxDelay, time);
  }

  /** The wait before retry number {@code retry} (1 for the first), drawn from {@code random}. */
  public Duration delayBefore(int retry, RandomGenerator random) {
    return Duration.ofMillis(random.nextLong(ceilingBefore(retry).toMillis() + 1));
  }

  /**
   * The longest wait before retry number {@code retry}: the exponential ceiling, capped at {@code
   * maxDelay}.
   */
  public Duration ceilingBefore(int retry) {
    long ceiling = initialDelay.toMillis() << Math.min(Math.max(retry, 1) - 1, 20);
    return Duration.ofMillis(Math.min(Math.max(ceiling, 0), maxDelay.toMillis()));
  }
}
