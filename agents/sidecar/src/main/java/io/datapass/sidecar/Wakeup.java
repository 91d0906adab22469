package io.datapass.sidecar;

import java.time.Duration;

/**
 * Wakes the lifecycle when something may have changed: a file event, the inputs finishing, a
 * SIGTERM. It carries no data: the lifecycle looks at the files again each time, so coalesced or
 * lost signals lose nothing.
 */
final class Wakeup {
  private boolean pending;

  synchronized void signal() {
    pending = true;
    notifyAll();
  }

  /** Returns when signalled (also before this call) or after {@code max}. */
  synchronized void await(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + Math.max(max.toNanos(), 0);
    while (!pending) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(left / 1_000_000, 1));
    }
    pending = false;
  }
}
