package io.datapass.transfer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.transfer.engine.ParallelRunner.Outcome;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelRunnerTest {

  @Test
  void runsEveryJobKeepsOrderAndFailuresWithBoundedParallelism() throws InterruptedException {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    AtomicInteger ran = new AtomicInteger();
    CountDownLatch firstEight = new CountDownLatch(8);
    List<Callable<Integer>> jobs =
        IntStream.range(0, 200)
            .<Callable<Integer>>mapToObj(
                i ->
                    () -> {
                      int now = running.incrementAndGet();
                      maxRunning.accumulateAndGet(now, Math::max);
                      try {
                        if (i < 8) { // the first eight can only pass once all eight run at the same
                          // time
                          firstEight.countDown();
                          if (!firstEight.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("fewer than 8 jobs ran at once");
                          }
                        }
                        Thread.sleep(ThreadLocalRandom.current().nextInt(3)); // finish out of order
                        ran.incrementAndGet();
                        if (i % 7 == 3) {
                          throw new IOException("job " + i + " failed");
                        }
                        return i * i;
                      } finally {
                        running.decrementAndGet();
                      }
                    })
            .toList();

    List<Outcome<Integer>> outcomes = ParallelRunner.runAll(jobs, 8);

    assertThat(ran).hasValue(200);
    assertThat(maxRunning).hasValue(8);
    assertThat(outcomes).hasSize(200);
    for (int i = 0; i < 200; i++) {
      Outcome<Integer> outcome = outcomes.get(i);
      if (i % 7 == 3) {
        assertThat(outcome.succeeded()).as("job %d", i).isFalse();
        assertThat(outcome.value()).isNull();
        assertThat(outcome.failure())
            .isInstanceOf(IOException.class)
            .hasMessage("job " + i + " failed");
      } else {
        assertThat(outcome.succeeded()).as("job %d", i).isTrue();
        assertThat(outcome.value()).isEqualTo(i * i);
      }
    }
    assertThat(outcomes.stream().filter(o -> !o.succeeded()).count()).isEqualTo(29);
  }

  @Test
  void runtimeExceptionsAreKeptToo() throws InterruptedException {
    List<Callable<String>> jobs =
        List.of(
            () -> "a",
            () -> {
              throw new IllegalStateException("boom");
            },
            () -> "c");

    List<Outcome<String>> outcomes = ParallelRunner.runAll(jobs, 1);

    assertThat(outcomes).extracting(Outcome::value).containsExactly("a", null, "c");
    assertThat(outcomes.get(1).failure())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom");
  }

  @Test
  void noJobs() throws InterruptedException {
    assertThat(ParallelRunner.runAll(List.<Callable<String>>of(), 4)).isEmpty();
  }

  @Test
  void parallelMustBePositive() {
    assertThatThrownBy(() -> ParallelRunner.runAll(List.<Callable<String>>of(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parallel must be >= 1, got 0");
  }
}
