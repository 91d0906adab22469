package io.datapass.transfer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000));

  /** A generator whose bounded draws are always the largest allowed: the wait is the ceiling. */
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

  @Test
  void theCeilingDoublesUpToTheMaximumDelay() {
    long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
    for (int retry = 1; retry <= ceilings.length; retry++) {
      assertThat(policy.ceilingBefore(retry)).isEqualTo(Duration.ofMillis(ceilings[retry - 1]));
      assertThat(policy.delayBefore(retry, HIGHEST))
          .isEqualTo(Duration.ofMillis(ceilings[retry - 1]));
    }
  }

  @Test
  void hugeRetryNumbersDoNotOverflow() {
    for (int retry : new int[] {21, 64, 1000, Integer.MAX_VALUE}) {
      assertThat(policy.ceilingBefore(retry)).isEqualTo(Duration.ofMillis(1000));
    }
  }

  @Test
  void fullJitterDrawsFromZeroToTheCeiling() {
    Random seeded = new Random(7);
    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Duration delay = policy.delayBefore(4, seeded);
      assertThat(delay)
          .isBetween(Duration.ZERO, Duration.ofMillis(800)); // a drawn number, not a measured sleep
      seen.add(delay);
    }
    assertThat(seen).hasSizeGreaterThan(10);
  }

  @Test
  void zeroDelaysAreAllowed() {
    RetryPolicy immediate = new RetryPolicy(3, Duration.ZERO, Duration.ZERO);
    assertThat(immediate.delayBefore(1, HIGHEST)).isEqualTo(Duration.ZERO);
    assertThat(immediate.delayBefore(10, HIGHEST)).isEqualTo(Duration.ZERO);
  }

  @Test
  void zeroRetriesIsValid() {
    assertThat(new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1)).retries()).isZero();
  }

  @Test
  void negativeRetriesAreRejected() {
    assertThatThrownBy(() -> new RetryPolicy(-1, Duration.ofMillis(1), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retries must be >= 0, got -1");
  }

  @Test
  void standardPolicy() {
    RetryPolicy standard = RetryPolicy.standard(7);
    assertThat(standard.retries()).isEqualTo(7);
    assertThat(standard.initialDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(standard.maxDelay()).isEqualTo(Duration.ofSeconds(60));
    assertThat(standard.maxTime()).isEqualTo(Duration.ofMinutes(30));
    assertThat(standard.ceilingBefore(30)).isEqualTo(Duration.ofSeconds(60));
  }
}
