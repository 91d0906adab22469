package io.datapass.sidecar;

import io.datapass.common.Printable;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod's state as the sidecar reports it: each change becomes one {@link Transition}, handed to
 * every reporter in order, under one lock so that no two reporters see a different order. The final
 * state ends it: whatever comes after is refused, so a late DONE can never follow the ERROR a
 * grace-period timeout reported. (The payload may write ERROR or KILLED to its state file too:
 * those are its own intermediate states, not final ones.)
 */
final class StateMachine {
  private static final Logger log = LoggerFactory.getLogger(StateMachine.class);

  /**
   * What a payload's state may be: nothing that a log line, a JSON field or a metric label could
   * show as something else (line separators, bidi overrides, zero-width characters, quotes).
   */
  private static final Pattern PAYLOAD_STATE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  /** How much of a refused state a warning shows. */
  private static final int SHOWN = 64;

  /**
   * Names the payload may not use in {@code state}, whatever their case: they mean something only
   * the sidecar can know.
   */
  private static final Set<String> RESERVED =
      Set.of(
          Transition.INITIALIZING,
          Transition.STARTED,
          Transition.UNHEALTHY,
          Transition.TERMINATING,
          Transition.DONE);

  private final String job;
  private final String task;
  private final String pod;
  private final List<StateReporter> reporters;
  private final Clock clock;
  private final List<Transition> history = new ArrayList<>();
  private String current;
  private boolean finished;

  StateMachine(String job, String task, String pod, List<StateReporter> reporters, Clock clock) {
    this.job = job;
    this.task = task;
    this.pod = pod;
    this.reporters = List.copyOf(reporters);
    this.clock = clock;
  }

  /**
   * Moves to {@code state} and reports it, unless it is the current state or the final one was
   * reported.
   *
   * @return true when the transition was reported
   */
  synchronized boolean moveTo(String state, String detail) {
    if (state.equals(current)) {
      return false;
    }
    return report(state, detail);
  }

  /**
   * Reports the final state (even when it equals the current one); false when a final state came
   * first.
   */
  synchronized boolean finish(String state, String detail) {
    boolean reported = report(state, detail);
    finished = true;
    return reported;
  }

  private boolean report(String state, String rawDetail) {
    // a detail may hold payload-chosen text (a file name): no ESC, BEL, CR or LF reaches the
    // annotation, the Event, the backend or a terminal watching them
    String detail = Printable.escaped(rawDetail);
    if (finished) {
      log.warn(
          "{} after the final state {} not reported{}",
          state,
          current,
          detail == null ? "" : " (" + detail + ")");
      return false;
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Transition transition = new Transition(job, task, pod, state, current, now.toString(), detail);
    history.add(transition);
    current = state;
    for (StateReporter reporter : reporters) {
      try {
        reporter.report(transition);
      } catch (RuntimeException e) {
        log.error(
            "reporter {} failed on {}: {}",
            reporter.getClass().getSimpleName(),
            state,
            e.toString());
      }
    }
    return true;
  }

  /**
   * True when the payload may report {@code value}: a short name in a conservative charset, not one
   * of the sidecar's own states; anything else is warned of (escaped) and false.
   */
  static boolean isPayloadState(String value) {
    if (!PAYLOAD_STATE.matcher(value).matches()) {
      log.warn(
          "the payload wrote an invalid state \"{}\" to its state file (letters, digits, '_', '.',"
              + " ':' and '-', at most 64); ignored",
          escaped(value));
      return false;
    }
    if (RESERVED.contains(value.toUpperCase(Locale.ROOT))) {
      log.warn(
          "the payload wrote {} to its state file: a state only the sidecar reports; ignored",
          value);
      return false;
    }
    return true;
  }

  /**
   * {@code value} for a log line: each character but printable ASCII (quote and backslash included)
   * as a backslash, 'u' and four hex digits; its first {@value #SHOWN} characters only.
   */
  static String escaped(String value) {
    StringBuilder shown = new StringBuilder();
    for (char c : value.substring(0, Math.min(value.length(), SHOWN)).toCharArray()) {
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        shown.append(c);
      } else {
        shown.append(String.format("\\u%04X", (int) c));
      }
    }
    return value.length() > SHOWN
        ? shown + "... (" + value.length() + " characters)"
        : shown.toString();
  }

  synchronized String current() {
    return current;
  }

  synchronized boolean isFinished() {
    return finished;
  }

  synchronized List<Transition> history() {
    return List.copyOf(history);
  }

  /**
   * Every reporter delivers what it still holds, until {@code deadline}; true when all of them did.
   */
  boolean flush(Instant deadline) throws InterruptedException {
    boolean delivered = true;
    for (StateReporter reporter : reporters) {
      delivered &= reporter.flush(deadline);
    }
    return delivered;
  }
}
