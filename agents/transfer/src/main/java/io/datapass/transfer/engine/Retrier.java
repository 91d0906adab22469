package io.datapass.transfer.engine;

import io.datapass.transfer.storage.Sizes;
import io.datapass.transfer.storage.TransferException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a remote call (fetch, upload, list, delete) again after a transient failure, as a {@link
 * RetryPolicy} allows: bounded by retries and by time, with exponential backoff and full jitter.
 * Any other failure ends the call at once.
 *
 * <pre>{@code
 * List<URI> objects = new Retrier(policy).call("listing " + prefix, () -> source.list(prefix));
 * }</pre>
 */
public final class Retrier {
  private static final Logger log = LoggerFactory.getLogger(Retrier.class);

  /**
   * Time as the retrier sees it: injectable, so tests neither sleep nor depend on the wall clock.
   */
  public interface Clock {
    Clock SYSTEM =
        new Clock() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void sleep(Duration wait) throws InterruptedException {
            Thread.sleep(wait.toMillis());
          }
        };

    long nanoTime();

    void sleep(Duration wait) throws InterruptedException;
  }

  private final RetryPolicy policy;
  private final Predicate<Throwable> isTransient;
  private final Clock clock;
  private final RandomGenerator jitter;

  /** Retries what {@link TransferException#isRetryable(Throwable)} calls transient. */
  public Retrier(RetryPolicy policy) {
    this(policy, TransferException::isRetryable);
  }

  /**
   * @param isTransient which failures are worth another attempt (e.g. an API client's 429 and 5xx)
   */
  public Retrier(RetryPolicy policy, Predicate<Throwable> isTransient) {
    this(policy, isTransient, Clock.SYSTEM, () -> ThreadLocalRandom.current().nextLong());
  }

  public Retrier(
      RetryPolicy policy, Predicate<Throwable> isTransient, Clock clock, RandomGenerator jitter) {
    this.policy = policy;
    this.isTransient = isTransient;
    this.clock = clock;
    this.jitter = jitter;
  }

  public RetryPolicy policy() {
    return policy;
  }

  /**
   * The call's value, after as many attempts as needed and allowed. A failure that is not transient
   * is thrown as it is (a checked one other than an {@link IOException} as a permanent {@link
   * TransferException}); when the retries or the time run out, a permanent {@link
   * TransferException} says so, with the last failure as its cause.
   *
   * @param description what the call does, for log lines and the final error ("listing gs://b/p/")
   */
  public <T> T call(String description, Callable<T> call) throws IOException {
    long firstFailure = 0;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (Exception failure) {
        if (!isTransient.test(failure)) {
          throw asThrown(description, failure);
        }
        long now = clock.nanoTime();
        if (attempt == 1) {
          firstFailure = now;
        }
        Duration wait = policy.delayBefore(attempt, jitter);
        Duration failingFor = Duration.ofNanos(now - firstFailure);
        if (attempt > policy.retries() || failingFor.plus(wait).compareTo(policy.maxTime()) > 0) {
          throw TransferException.permanent(
              "gave up on "
                  + description
                  + " after "
                  + attempt
                  + " attempts"
                  + (attempt > policy.retries()
                      ? ""
                      : " (failing for " + Sizes.duration(failingFor) + ")")
                  + ": "
                  + describe(failure),
              failure);
        }
        log.warn(
            "{}: {}; retry {} of {} in {} ms",
            description,
            describe(failure),
            attempt,
            policy.retries(),
            wait.toMillis());
        sleep(wait, description);
      }
    }
  }

  private void sleep(Duration wait, String description) throws TransferException {
    try {
      clock.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TransferException.permanent("interrupted while retrying " + description, e);
    }
  }

  private static IOException asThrown(String description, Exception failure) {
    if (failure instanceof IOException io) {
      return io;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new InterruptedIOException("interrupted while " + description);
    }
    return TransferException.permanent(description + " failed: " + describe(failure), failure);
  }

  static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }
}
