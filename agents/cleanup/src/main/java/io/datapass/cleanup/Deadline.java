package io.datapass.cleanup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

/** The end of {@code --wait-timeout}, or none. */
final class Deadline {
  private final Duration timeout;
  private final long endNanos;

  Deadline(Duration timeout) {
    this.timeout = timeout;
    this.endNanos = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
  }

  long remainingMillis() {
    return timeout == null
        ? Long.MAX_VALUE
        : Math.max(0, (endNanos - System.nanoTime() + 999_999) / 1_000_000);
  }

  /** Fails once the time is over, saying what the Job's status last was. */
  void check(JobStatusLog status) throws IOException {
    if (timeout != null && endNanos - System.nanoTime() <= 0) {
      throw new IOException(
          status.where()
              + " did not finish within "
              + timeout.toSeconds()
              + " s (--wait-timeout); its last status: "
              + status.last()
              + "; nothing was uploaded or removed");
    }
  }

  /** Sleeps {@code millis}, or until the deadline if that comes first, then checks it. */
  void sleep(long millis, JobStatusLog status) throws IOException {
    try {
      Thread.sleep(Math.min(millis, remainingMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + status.where());
    }
    check(status);
  }
}
