package io.datapass.transfer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datapass.transfer.storage.TransferException;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The retrier on a fake clock: sleeping advances it, nothing waits on the wall clock. */
class RetrierTest {
  private static final RetryPolicy POLICY =
      new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofMinutes(1));

  /** Always draws the largest wait, so the waits are the policy's ceilings. */
  private static final RandomGenerator HIGHEST =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          return -1;
        }

        @Override
        public long nextLong(long bound) {
          return bound - 1;
        }
      };

  private static final class FakeClock implements Retrier.Clock {
    final List<Duration> sleeps = new ArrayList<>();
    long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleep(Duration wait) {
      sleeps.add(wait);
      now += wait.toNanos();
    }

    void advance(Duration time) {
      now += time.toNanos();
    }
  }

  private final FakeClock clock = new FakeClock();
  private final AtomicInteger calls = new AtomicInteger();

  private Retrier retrier(RetryPolicy policy) {
    return new Retrier(policy, TransferException::isRetryable, clock, HIGHEST);
  }

  /** A call that fails {@code failures} times with {@code failure}, then returns "done". */
  private Callable<String> failing(int failures, IOException failure) {
    return () -> {
      if (calls.incrementAndGet() <= failures) {
        throw failure;
      }
      return "done";
    };
  }

  @Test
  void aTransientFailureIsRetriedAfterABackoff() throws IOException {
    String result =
        retrier(POLICY).call("listing gs://b/p/", failing(2, new ConnectException("refused")));

    assertThat(result).isEqualTo("done");
    assertThat(calls).hasValue(3);
    assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void aPermanentFailureIsThrownAsItIsWithoutRetry() {
    TransferException notFound = TransferException.permanent("not found (HTTP 404 for x)");

    TransferException e =
        catchThrowableOfType(
            TransferException.class,
            () -> retrier(POLICY).call("fetching x", failing(1, notFound)));

    assertThat(e).isSameAs(notFound);
    assertThat(calls).hasValue(1);
    assertThat(clock.sleeps).isEmpty();
  }

  @Test
  void aFullDiskIsNotRetried() {
    IOException full = new IOException("No space left on device");

    IOException e =
        catchThrowableOfType(
            IOException.class, () -> retrier(POLICY).call("fetching x", failing(9, full)));

    assertThat(e).isSameAs(full);
    assertThat(calls).hasValue(1);
  }

  @Test
  void givesUpAfterTheRetriesWithTheLastFailureAsCause() {
    IOException reset = new IOException("connection reset");

    TransferException e =
        catchThrowableOfType(
            TransferException.class,
            () -> retrier(POLICY).call("uploading a to b", failing(100, reset)));

    assertThat(e.isRetryable()).isFalse();
    assertThat(e)
        .hasMessage("gave up on uploading a to b after 5 attempts: connection reset")
        .hasCause(reset);
    assertThat(calls).hasValue(5);
    assertThat(clock.sleeps)
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(4));
  }

  @Test
  void givesUpWhenTheTimeRunsOutThoughRetriesAreLeft() {
    Callable<String> slowFailure =
        () -> {
          calls.incrementAndGet();
          clock.advance(Duration.ofSeconds(25)); // e.g. a read that stalls until its timeout
          throw new IOException("stalled");
        };

    TransferException e =
        catchThrowableOfType(
            TransferException.class, () -> retrier(POLICY).call("fetching x", slowFailure));

    // Failures at 25, 51, 78 and 107 s. The third retry starts 57 s after the first failure, within
    // the minute; a
    // fourth would start 82 + 4 s after it: given up, with a retry left.
    assertThat(e).hasMessage("gave up on fetching x after 4 attempts (failing for 1m22s): stalled");
    assertThat(calls).hasValue(4);
  }

  @Test
  void zeroRetriesMeansOneAttempt() {
    TransferException e =
        catchThrowableOfType(
            TransferException.class,
            () ->
                retrier(new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                    .call("fetching x", failing(1, new IOException("reset"))));

    assertThat(e).hasMessage("gave up on fetching x after 1 attempts: reset");
    assertThat(clock.sleeps).isEmpty();
  }

  @Test
  void aCallerDecidesWhatIsTransient() throws IOException {
    Retrier onlyConflicts =
        new Retrier(POLICY, f -> f instanceof IllegalStateException, clock, HIGHEST);

    String result =
        onlyConflicts.call(
            "deleting job/x",
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("HTTP 429");
              }
              return "done";
            });

    assertThat(result).isEqualTo("done");
    assertThat(calls).hasValue(2);
  }

  @Test
  void anInterruptDuringTheWaitEndsTheRetries() {
    Retrier.Clock interrupted =
        new Retrier.Clock() {
          @Override
          public long nanoTime() {
            return 0;
          }

          @Override
          public void sleep(Duration wait) throws InterruptedException {
            throw new InterruptedException();
          }
        };
    Retrier retrier = new Retrier(POLICY, TransferException::isRetryable, interrupted, HIGHEST);

    TransferException e =
        catchThrowableOfType(
            TransferException.class,
            () -> retrier.call("fetching x", failing(1, new IOException("reset"))));

    assertThat(Thread.interrupted()).as("interrupt kept for the caller").isTrue();
    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessage("interrupted while retrying fetching x");
    assertThat(calls).hasValue(1);
  }
}
