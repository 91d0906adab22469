package io.datapass.sidecar;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One change of the pod's state, as every reporter sends it (the backend gets exactly these fields
 * as JSON).
 *
 * @param previous null for the first state
 * @param timestamp ISO-8601, UTC, when the sidecar saw the change
 * @param detail why: the exit code, the reason of a kill, a missed liveness deadline; null when
 *     there is nothing more to say
 */
@JsonPropertyOrder({"job", "task", "pod", "state", "previous", "timestamp", "detail"})
public record Transition(
    String job,
    String task,
    String pod,
    String state,
    String previous,
    String timestamp,
    String detail) {

  /**
   * The pod's states the sidecar itself reports; the payload adds its own between RUNNING and
   * TERMINATING. The last one is DONE, ERROR or KILLED, reported after the final upload.
   */
  public static final String INITIALIZING = "INITIALIZING";

  public static final String STARTED = "STARTED";
  public static final String RUNNING = "RUNNING";
  public static final String UNHEALTHY = "UNHEALTHY";
  public static final String TERMINATING = "TERMINATING";
  public static final String DONE = "DONE";
  public static final String ERROR = "ERROR";
  public static final String KILLED = "KILLED";

  /** One log line's worth: {@code RUNNING -> FITTING (detail)}. */
  String describe() {
    return (previous == null ? "" : previous + " -> ")
        + state
        + (detail == null ? "" : " (" + detail + ")");
  }
}
