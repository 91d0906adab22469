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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per running transfer at a steady interval (bytes, percent, rate, ETA), plain lines
 * fit for {@code kubectl logs}, and aborts reads that brought no byte for the stall timeout.
 */
public final class ProgressReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

  private final Set<TransferProgress> running = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer;
  private final long stallNanos;

  public ProgressReporter(Duration interval, Duration stallTimeout) {
    this.stallNanos = stallTimeout.toNanos();
    this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("progress"));
    long tick = Math.max(interval.toMillis(), 100);
    timer.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
  }

  public TransferProgress start(String name) {
    TransferProgress progress = new TransferProgress(name);
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
      log.info(line(p, now));
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

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
