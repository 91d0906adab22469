package io.datapass.sidecar;

import io.datapass.common.ExitCode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's SIGTERM, which Kubernetes sends a native sidecar once the payload's container has
 * exited (or when the pod is deleted, evicted or past its deadline). Installed as a JVM shutdown
 * hook before anything is reported, so no payload end can slip past it. The hook wakes the
 * lifecycle, which finishes the final upload and report, and waits for it within the grace period;
 * if that runs out, it reports ERROR in the time kept back for it. Then it halts the JVM with the
 * run's own exit code (a JVM ended by SIGTERM would otherwise exit 143).
 */
final class SigtermHandler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SigtermHandler.class);

  private final Duration grace;
  private final Wakeup wakeup;
  private final Thread hook = new Thread(this::onSigterm, "sigterm");
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile Instant deadline;
  private volatile int exitCode = ExitCode.WORK_FAILED;
  private volatile Consumer<Instant> onGraceRunOut = deadline -> {};

  private SigtermHandler(Duration grace, Wakeup wakeup) {
    this.grace = grace;
    this.wakeup = wakeup;
  }

  static SigtermHandler install(Duration grace, Wakeup wakeup) {
    SigtermHandler handler = new SigtermHandler(grace, wakeup);
    Runtime.getRuntime().addShutdownHook(handler.hook);
    return handler;
  }

  boolean requested() {
    return deadline != null;
  }

  /**
   * Until when the run may work after SIGTERM (upload, report): the grace period less the time kept
   * back for the hook to report a run that did not finish; null before SIGTERM.
   */
  Instant workDeadline() {
    Instant end = deadline;
    return end == null ? null : end.minus(reserve());
  }

  /**
   * Kept back from the grace period to report a lost run when the upload does not finish in time.
   */
  private Duration reserve() {
    return Duration.ofMillis(Math.min(3000, grace.toMillis() / 5));
  }

  /**
   * Run by the hook when the lifecycle has not finished in time: reports the loss, until the given
   * deadline.
   */
  void onGraceRunOut(Consumer<Instant> action) {
    this.onGraceRunOut = action;
  }

  /** The run is over with this exit code: a waiting hook halts the JVM with it. */
  void finished(int code) {
    exitCode = code;
    finished.countDown();
  }

  private void onSigterm() {
    Instant now = Instant.now();
    deadline = now.plus(grace);
    log.info("SIGTERM: finishing the final upload and report within {} s", grace.toSeconds());
    wakeup.signal();
    try {
      if (!finished.await(grace.minus(reserve()).toMillis(), TimeUnit.MILLISECONDS)) {
        onGraceRunOut.accept(deadline);
        exitCode = ExitCode.WORK_FAILED;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("reporting the lost run failed: {}", e.toString());
    }
    System.err.flush();
    Runtime.getRuntime().halt(exitCode);
  }

  /** Removes the hook when the run ended without SIGTERM (in-process runs; tests). */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it halts with the exit code set by finished()
    }
  }
}
