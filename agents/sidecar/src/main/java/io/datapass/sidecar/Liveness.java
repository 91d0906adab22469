package io.datapass.sidecar;

import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

/**
 * The payload's liveness: it must re-create (or touch) {@code healthy} within the deadline, counted
 * from the payload's start and then from each refresh (the file's modification time). Checked only
 * between the payload's start and its end; without a deadline it is never overdue.
 */
final class Liveness {
  private final Duration deadline;
  private Instant since;

  /**
   * @param deadline null when the payload's liveness is not checked
   */
  Liveness(Duration deadline) {
    this.deadline = deadline;
  }

  synchronized void payloadStarted(Instant at) {
    since = at;
  }

  synchronized void payloadEnded() {
    since = null;
  }

  synchronized void refreshed(FileTime modified) {
    if (since != null && modified != null && modified.toInstant().isAfter(since)) {
      since = modified.toInstant();
    }
  }

  synchronized boolean isOverdue(Instant now) {
    return deadline != null && since != null && now.isAfter(since.plus(deadline));
  }

  /** When it becomes overdue without another refresh, or null when it cannot. */
  synchronized Instant dueAt() {
    return deadline == null || since == null ? null : since.plus(deadline);
  }

  synchronized String describe(Instant now) {
    return "the payload has not refreshed /workdir/healthy for "
        + Duration.between(since, now).toSeconds()
        + " s (deadline "
        + deadline.toSeconds()
        + " s)";
  }
}
