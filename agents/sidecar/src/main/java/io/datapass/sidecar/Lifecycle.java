package io.datapass.sidecar;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * Follows the payload through the /workdir files, from the inputs to its end: INITIALIZING, STARTED
 * when {@code started} appears, RUNNING, then each new value of {@code state} in the order seen,
 * and UNHEALTHY while {@code healthy} is overdue. It ends when {@code done} appears or at SIGTERM,
 * and says how the payload ended, asking the pod's status ({@link PayloadStatus}) when it can.
 *
 * <p>Each wake-up (a file event, the inputs finishing, SIGTERM) re-reads the files, so a coalesced
 * or missed event costs nothing but time. The periodic re-check is for file systems where inotify
 * misses changes: a volume shared over the network, or written through another kernel (sandboxed
 * runtimes such as gVisor or Kata), or an overlay whose lower layer changes. A payload that
 * rewrites {@code state} faster than it is read may have a value coalesced with the next; the last
 * one is always reported.
 */
final class Lifecycle {
  static final Duration RECHECK = Duration.ofSeconds(2);

  /** How the payload ended: the final state to report once the outputs are stored, and why. */
  record PayloadEnd(String state, String detail, Integer exitCode) {}

  static final String KILLED_WITHOUT_DONE = "payload ended without writing done (killed, e.g. OOM)";

  private final Workdir workdir;
  private final StateMachine states;
  private final Inputs inputs;
  private final Liveness liveness;
  private final Wakeup wakeup;
  private final SigtermHandler sigterm;
  private final PayloadStatus payloadStatus;
  private final Clock clock;
  private String lastRead = "";
  private String payloadState = "";
  private boolean runningReported;
  private boolean unhealthy;

  Lifecycle(
      Workdir workdir,
      StateMachine states,
      Inputs inputs,
      Liveness liveness,
      Wakeup wakeup,
      SigtermHandler sigterm,
      PayloadStatus payloadStatus,
      Clock clock) {
    this.workdir = workdir;
    this.states = states;
    this.inputs = inputs;
    this.liveness = liveness;
    this.wakeup = wakeup;
    this.sigterm = sigterm;
    this.payloadStatus = payloadStatus;
    this.clock = clock;
  }

  /**
   * Follows the payload until it ended; null when the inputs failed (the payload never started).
   */
  PayloadEnd follow() throws IOException, InterruptedException {
    states.moveTo(Transition.INITIALIZING, inputs.describe());
    while (!inputs.ready() && !workdir.payloadStarted()) {
      if (inputs.failed()) {
        return null;
      }
      if (sigterm.requested()) {
        return stoppedBeforeStart();
      }
      wakeup.await(RECHECK);
    }
    // A k-pipe payload without the wrapper may write done without started: it ran all the same.
    while (!workdir.payloadStarted() && workdir.readDone().isEmpty()) {
      if (sigterm.requested()) {
        return stoppedBeforeStart();
      }
      wakeup.await(RECHECK);
    }
    states.moveTo(Transition.STARTED, null);
    liveness.payloadStarted(clock.instant());
    while (true) {
      observeState();
      observeHealth();
      boolean stopping = sigterm.requested();
      // Read after seeing the SIGTERM: a done the wrapper wrote before the payload's exit is
      // visible by now.
      OptionalInt done = workdir.readDone();
      if (done.isPresent() || stopping) {
        observeState(); // a last value written just before the end
        ensureRunningReported();
        liveness.payloadEnded();
        PayloadEnd end =
            done.isPresent()
                ? exited(done.getAsInt())
                : new PayloadEnd(Transition.KILLED, KILLED_WITHOUT_DONE, null);
        // an OOM kill takes the wrapper too: the pod's status says what done cannot
        return payloadStatus == null ? end : payloadStatus.explain(end, done.isPresent());
      }
      wakeup.await(untilNextCheck());
    }
  }

  private PayloadEnd stoppedBeforeStart() {
    return new PayloadEnd(
        Transition.KILLED,
        "stopped before the payload started (pod deleted, evicted or past its " + "deadline)",
        null);
  }

  private static PayloadEnd exited(int code) {
    if (code == 0) {
      return new PayloadEnd(Transition.DONE, "payload exited with code 0", 0);
    }
    if (code == Workdir.UNKNOWN_EXIT_CODE) {
      return new PayloadEnd(Transition.ERROR, "payload wrote done without an exit code", null);
    }
    return new PayloadEnd(Transition.ERROR, "payload exited with code " + code, code);
  }

  /**
   * A new value in {@code state} is one transition; RUNNING always comes first, as the k-pipe order
   * has it.
   */
  private void observeState() throws IOException {
    String value = workdir.readState();
    if (value.isEmpty() || value.equals(lastRead)) {
      return;
    }
    lastRead = value; // so that a refused value is warned of once, not at every re-read
    if (!StateMachine.isPayloadState(value)) {
      return;
    }
    payloadState = value;
    boolean first = !runningReported;
    ensureRunningReported();
    if (!(first && value.equals(Transition.RUNNING))) {
      states.moveTo(value, null);
    }
  }

  private void ensureRunningReported() {
    if (!runningReported) {
      runningReported = true;
      states.moveTo(Transition.RUNNING, null);
    }
  }

  private void observeHealth() throws IOException {
    liveness.refreshed(workdir.healthyRefreshed());
    Instant now = clock.instant();
    if (liveness.isOverdue(now) && !unhealthy) {
      unhealthy = true;
      ensureRunningReported();
      states.moveTo(Transition.UNHEALTHY, liveness.describe(now));
    } else if (!liveness.isOverdue(now) && unhealthy) {
      unhealthy = false;
      states.moveTo(
          payloadState.isEmpty() ? Transition.RUNNING : payloadState,
          "/workdir/healthy refreshed again");
    }
  }

  private Duration untilNextCheck() {
    Instant due = liveness.dueAt();
    if (due == null || unhealthy) {
      return RECHECK;
    }
    Duration untilDue = Duration.between(clock.instant(), due).plusMillis(10);
    return untilDue.compareTo(RECHECK) < 0 ? untilDue : RECHECK;
  }
}
