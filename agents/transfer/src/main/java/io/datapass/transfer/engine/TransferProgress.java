package io.datapass.transfer.engine;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/** Live counters of one transfer, read by the {@link ProgressReporter} thread. */
public final class TransferProgress {
  private final String name;
  private final long startNanos = System.nanoTime();

  /** Where the file stands: drops back when a read starts over. */
  private final AtomicLong bytes = new AtomicLong();

  /** Bytes that arrived, for the rate: never drops, so the rate is never negative. */
  private final AtomicLong received = new AtomicLong();

  private volatile long total = -1;
  private volatile long lastByteNanos = startNanos;
  private volatile Closeable currentRead;
  private volatile Thread reader;
  private volatile boolean stalled;
  private long reportedBytes;
  private long reportedNanos = startNanos;
  private volatile long reportAt;

  TransferProgress(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  void expect(long totalBytes) {
    total = totalBytes;
  }

  /** Bytes already on disk when a resumed or restarted read begins. */
  void restartAt(long bytesOnDisk) {
    bytes.set(bytesOnDisk);
    lastByteNanos = System.nanoTime();
  }

  void add(long count) {
    bytes.addAndGet(count);
    received.addAndGet(count);
    lastByteNanos = System.nanoTime();
  }

  /**
   * The read in progress, closed by the reporter when it stalls. Synchronized with {@link
   * #abortStalledRead}: the abort's interrupt lands before the reader clears it here, never after
   * (where it would end the retry wait).
   */
  synchronized void reading(Closeable read) {
    if (read == null && stalled) {
      Thread
          .interrupted(); // the abort's interrupt has done its work; do not leak it into the retry
      // wait
    }
    stalled = false;
    currentRead = read;
    reader = read == null ? null : Thread.currentThread();
    lastByteNanos = System.nanoTime();
  }

  /** True when the read in progress was aborted for bringing no data. */
  boolean stalled() {
    return stalled;
  }

  long bytes() {
    return bytes.get();
  }

  long total() {
    return total;
  }

  long startNanos() {
    return startNanos;
  }

  /** When the reporter writes this transfer's next line (System.nanoTime). */
  long reportAt() {
    return reportAt;
  }

  void reportAt(long nanos) {
    reportAt = nanos;
  }

  long nanosSinceLastByte(long now) {
    return now - lastByteNanos;
  }

  /** Bytes received per second since the previous call; remembers this call. */
  double rateSinceLastReport(long now) {
    long current = received.get();
    double seconds = Math.max(now - reportedNanos, 1) / 1e9;
    double rate = (current - reportedBytes) / seconds;
    reportedBytes = current;
    reportedNanos = now;
    return rate;
  }

  /** Aborts a stalled read; the engine sees an I/O error and resumes. */
  synchronized boolean abortStalledRead() {
    Closeable read = currentRead;
    Thread thread = reader;
    if (read == null || thread == null) {
      return false;
    }
    currentRead = null;
    stalled = true;
    try {
      read.close();
    } catch (IOException | RuntimeException ignored) {
      // closing is all we want; the reader thread reports the failure
    }
    thread.interrupt(); // a read waiting for an XRootD answer only wakes this way
    return true;
  }
}
