package io.datapass.transfer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.transfer.storage.Sizes;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

  @Test
  void lineShowsBytesPercentRateAndEta() {
    TransferProgress p = new TransferProgress("run1.root");
    p.expect(1L << 30);
    p.add(512L << 20);
    long now = p.startNanos() + Duration.ofSeconds(4).toNanos();
    String line = ProgressReporter.line(p, now);
    assertThat(line).isEqualTo("run1.root: 512.0 MiB of 1.0 GiB (50.0%), 128.0 MiB/s, ETA 4s");
  }

  @Test
  void unknownTotalShowsBytesAndRateOnly() {
    TransferProgress p = new TransferProgress("stream");
    p.add(3 << 10);
    String line = ProgressReporter.line(p, p.startNanos() + Duration.ofSeconds(1).toNanos());
    assertThat(line).isEqualTo("stream: 3.0 KiB, 3.0 KiB/s");
  }

  @Test
  void aReadStartingOverNeverShowsANegativeRate() {
    TransferProgress p = new TransferProgress("restarted");
    p.expect(4 << 20);
    p.add(2 << 20);
    ProgressReporter.line(p, p.startNanos() + Duration.ofSeconds(1).toNanos());
    p.restartAt(0); // the source could not resume: the file starts over
    p.add(1 << 20);

    String line = ProgressReporter.line(p, p.startNanos() + Duration.ofSeconds(2).toNanos());

    assertThat(line).startsWith("restarted: 1.0 MiB of 4.0 MiB (25.0%), 1.0 MiB/s");
  }

  @Test
  void sizesAndDurationsReadWell() {
    assertThat(Sizes.bytes(999)).isEqualTo("999 B");
    assertThat(Sizes.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(Sizes.bytes(5L << 40)).isEqualTo("5.0 TiB");
    assertThat(Sizes.duration(Duration.ofSeconds(59))).isEqualTo("59s");
    assertThat(Sizes.duration(Duration.ofSeconds(61))).isEqualTo("1m01s");
    assertThat(Sizes.duration(Duration.ofSeconds(7322))).isEqualTo("2h02m");
  }

  @Test
  void aStalledReadIsClosedAndItsThreadWoken() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    boolean[] outcome = new boolean[3];
    try (ProgressReporter reporter =
        new ProgressReporter(Duration.ofMillis(100), Duration.ofMillis(200))) {
      TransferProgress p = reporter.start("slow");
      Thread reader =
          new Thread(
              () -> {
                p.reading(closed::countDown);
                try {
                  never.await(); // a read that never returns by itself
                } catch (InterruptedException woken) {
                  outcome[0] = true;
                }
                outcome[1] = p.stalled();
                p.reading(null);
                outcome[2] = Thread.currentThread().isInterrupted();
              });
      reader.start();
      reader.join(5000);
      reporter.finish(p);
    }
    assertThat(closed.getCount()).as("read closed").isZero();
    assertThat(outcome[0]).as("blocked reader woken").isTrue();
    assertThat(outcome[1]).as("marked stalled").isTrue();
    assertThat(outcome[2]).as("interrupt cleared before the retry wait").isFalse();
  }

  @Test
  void theFirstLineComesWithinSecondsThenLinesFollowAtTheInterval() throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    try (ProgressReporter reporter =
        new ProgressReporter(Duration.ofSeconds(10), Duration.ofMinutes(2), lines::add)) {
      TransferProgress p = reporter.start("big.root");
      p.expect(100 << 20);
      p.add(1 << 20);
      long started = System.nanoTime();

      String first = lines.poll(4, TimeUnit.SECONDS);

      assertThat(first).as("a line within a few seconds, not after 10 s").startsWith("big.root: ");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
      assertThat(lines.poll(3, TimeUnit.SECONDS)).as("the next one at the interval").isNull();
      reporter.finish(p);
    }
  }

  @Test
  void aFractionalIntervalIsKept() throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    try (ProgressReporter reporter =
        new ProgressReporter(Duration.ofMillis(300), Duration.ofMinutes(2), lines::add)) {
      TransferProgress p = reporter.start("f");
      Thread.sleep(1_600);
      reporter.finish(p);
    }
    assertThat(lines.size()).isBetween(3, 7);
  }

  @Test
  void aFinishedTransferSaysItsRate() {
    assertThat(ProgressReporter.rate(3L << 20, Duration.ofMillis(1500))).isEqualTo("2.0 MiB/s");
  }
}
