package io.datapass.transfer.engine;

import io.datapass.transfer.storage.DaemonThreads;
import io.datapass.transfer.storage.Sizes;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per running transfer (bytes, percent, rate, ETA), plain lines fit for {@code
 * kubectl logs}: the first a couple of seconds after the transfer starts, so that a transfer
 * shorter than the interval is seen too, then at the interval. Aborts reads that brought no byte
 * for the stall timeout.
 */
public final class ProgressReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

  private final Set<TransferProgress> running = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer;

  /** The first line of a transfer still running comes this soon, or at the interval if sooner. */
  static final Duration FIRST_LINE = Duration.ofSeconds(2);

  private final long stallNanos;
  private final long intervalNanos;
  private final long firstLineNanos;
  private final Consumer<String> lines;

  public ProgressReporter(Duration interval, Duration stallTimeout) {
    this(interval, stallTimeout, log::info);
  }

  /**
   * @param lines where the progress lines go (the log; a list in tests)
   */
  ProgressReporter(Duration interval, Duration stallTimeout, Consumer<String> lines) {
    this.lines = lines;
    this.stallNanos = stallTimeout.toNanos();
    this.intervalNanos = interval.toNanos();
    this.firstLineNanos = Math.min(intervalNanos, FIRST_LINE.toNanos());
    this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("progress"));
    // Ticks finer than the interval: each transfer's lines are due on its own clock.
    long tick = Math.max(Math.min(interval.toMillis(), 250), 50);
    timer.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
  }

  public TransferProgress start(String name) {
    TransferProgress progress = new TransferProgress(name);
    progress.reportAt(progress.startNanos() + firstLineNanos);
    running.add(progress);
    return progress;
  }

  public void finish(TransferProgress progress) {
    running.remove(progress);
  }

  private void tick() {
    long now = System.nanoTime();
    for (TransferProgress p : running) {
      if (p.nanosSinceLastByte(now) > stallNanos && p.abortStalledRead()) {
        log.warn(
            "{}: no data for {}, reconnecting",
            p.name(),
            Sizes.duration(Duration.ofNanos(stallNanos)));
      }
      if (now - p.reportAt() >= 0) {
        p.reportAt(now + intervalNanos);
        lines.accept(line(p, now));
      }
    }
  }

  static String line(TransferProgress p, long now) {
    long done = p.bytes();
    long total = p.total();
    double rate = p.rateSinceLastReport(now);
    StringBuilder line = new StringBuilder(p.name()).append(": ").append(Sizes.bytes(done));
    if (total > 0) {
      line.append(" of ")
          .append(Sizes.bytes(total))
          .append(String.format(Locale.ROOT, " (%.1f%%)", 100.0 * done / total));
    }
    line.append(", ").append(Sizes.bytes((long) rate)).append("/s");
    double average = done / Math.max((now - p.startNanos()) / 1e9, 1e-3);
    if (total > 0 && average > 0) {
      line.append(", ETA ")
          .append(Sizes.duration(Duration.ofSeconds((long) ((total - done) / average))));
    }
    return line.toString();
  }

  /**
   * The average rate of a transfer of {@code bytes} that took {@code elapsed}, for its last line.
   */
  static String rate(long bytes, Duration elapsed) {
    double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-3);
    return Sizes.bytes((long) (bytes / seconds)) + "/s";
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
