package io.datapass.cli.follow;

import io.datapass.transfer.storage.Sizes;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** {@code datapass status}'s output: the submission in one line, then a row per task. */
public final class StatusTable {
  private static final int DETAIL_SHOWN = 80;

  private StatusTable() {}

  public static void print(PrintStream out, Submission submission, Instant now) {
    out.println(headline(submission));
    List<TaskStatus> tasks = Tasks.of(submission);
    Table table =
        new Table("TASK", "STATE", "ATTEMPTS", "LAST TRANSITION", "BYTES OUT", "POD", "DETAIL");
    for (TaskStatus task : tasks) {
      table.row(
          Integer.toString(task.index()),
          task.state(),
          Integer.toString(task.attempts()),
          when(task.lastTransition(), now),
          task.bytesOut() == null ? "-" : Sizes.bytes(task.bytesOut()),
          task.pod() == null ? "-" : task.pod(),
          cut(task.detail()));
    }
    table.print(out);
    if (submission.cleanup() != null) {
      out.println(
          "Cleanup Job "
              + submission.cleanup().getMetadata().getName()
              + ": "
              + JobPhase.describe(submission.cleanup()));
    }
  }

  /**
   * "Submission ship-1 (ship) in namespace ns: Running; 5 tasks: 2 succeeded, 0 failed, 3 active".
   */
  static String headline(Submission submission) {
    StringBuilder line = new StringBuilder("Submission ").append(submission.name());
    if (!submission.experiment().isEmpty()) {
      line.append(" (").append(submission.experiment()).append(')');
    }
    line.append(" in namespace ").append(submission.namespace()).append(": ");
    Job job = submission.job();
    if (job == null) {
      return line.append("no Job (not created yet, or deleted)").toString();
    }
    JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
    int tasks = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
    return line.append(JobPhase.describe(job))
        .append("; ")
        .append(tasks)
        .append(tasks == 1 ? " task: " : " tasks: ")
        .append(count(status.getSucceeded()))
        .append(" succeeded, ")
        .append(count(status.getFailed()))
        .append(" failed, ")
        .append(count(status.getActive()))
        .append(" active")
        .toString();
  }

  /** An instant and how long ago it was: "2026-11-30T14:22:40Z (3m10s ago)". */
  public static String when(Instant at, Instant now) {
    if (at == null) {
      return "-";
    }
    Duration ago = Duration.between(at, now);
    String instant = at.truncatedTo(ChronoUnit.SECONDS).toString();
    return ago.isNegative() ? instant : instant + " (" + Sizes.duration(ago) + " ago)";
  }

  private static int count(Integer value) {
    return value == null ? 0 : value;
  }

  private static String cut(String detail) {
    if (detail == null) {
      return "";
    }
    String line = detail.replaceAll("\\s+", " ").strip();
    return line.length() <= DETAIL_SHOWN ? line : line.substring(0, DETAIL_SHOWN - 1) + "…";
  }
}
