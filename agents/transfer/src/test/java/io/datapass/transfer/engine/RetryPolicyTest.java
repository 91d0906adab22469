package io.datapass.transfer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000));

  @RepeatedTest(20)
  void delayStaysWithinTheExponentialCeiling() {
    long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
    for (int retry = 1; retry <= ceilings.length; retry++) {
      Duration delay = policy.delayBefore(retry);
      assertThat(delay).isBetween(Duration.ZERO, Duration.ofMillis(ceilings[retry - 1]));
    }
  }

  @Test
  void hugeRetryNumbersDoNotOverflow() {
    for (int retry : new int[] {21, 64, 1000, Integer.MAX_VALUE}) {
      assertThat(policy.delayBefore(retry)).isBetween(Duration.ZERO, Duration.ofMillis(1000));
    }
  }

  @Test
  void jitterSpreadsTheDelays() {
    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      seen.add(policy.delayBefore(4));
    }
    assertThat(seen).hasSizeGreaterThan(10);
  }

  @Test
  void zeroDelaysAreAllowed() {
    RetryPolicy immediate = new RetryPolicy(3, Duration.ZERO, Duration.ZERO);
    assertThat(immediate.delayBefore(1)).isEqualTo(Duration.ZERO);
    assertThat(immediate.delayBefore(10)).isEqualTo(Duration.ZERO);
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
    assertThat(standard.delayBefore(30)).isLessThanOrEqualTo(Duration.ofSeconds(60));
  }
}
