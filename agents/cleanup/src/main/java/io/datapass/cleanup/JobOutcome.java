package io.datapass.cleanup;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the Job {@code --wait-for-job} named ended, as its status said when its {@code Complete} or
 * {@code Failed} condition became True: in the cleanup's report and the output manifest.
 *
 * @param state {@value #COMPLETE} or {@value #FAILED}
 * @param reason the condition's reason, such as {@code BackoffLimitExceeded} or {@code
 *     DeadlineExceeded}
 * @param succeeded the Job's succeeded pods
 * @param failed the Job's failed pods
 */
@JsonPropertyOrder({"name", "state", "reason", "message", "succeeded", "failed"})
record JobOutcome(
    String name, String state, String reason, String message, int succeeded, int failed) {
  static final String COMPLETE = "Complete";
  static final String FAILED = "Failed";

  /** The Job's outcome once it has finished; empty while it has not. */
  static Optional<JobOutcome> of(Job job) {
    JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
    return trueConditions(status).stream()
        .filter(c -> c.getType().equals(COMPLETE) || c.getType().equals(FAILED))
        .findFirst()
        .map(
            c ->
                new JobOutcome(
                    job.getMetadata().getName(),
                    c.getType(),
                    c.getReason(),
                    c.getMessage(),
                    count(status.getSucceeded()),
                    count(status.getFailed())));
  }

  /**
   * The Job's status in one line for the log: its pods' counts and its True conditions, such as
   * {@code active 0, succeeded 1, failed 0, SuccessCriteriaMet (CompletionsReached), Complete
   * (CompletionsReached)}.
   */
  static String describe(Job job) {
    JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
    String conditions =
        trueConditions(status).stream()
            .map(c -> c.getType() + (c.getReason() == null ? "" : " (" + c.getReason() + ")"))
            .collect(Collectors.joining(", "));
    return "active "
        + count(status.getActive())
        + ", succeeded "
        + count(status.getSucceeded())
        + ", failed "
        + count(status.getFailed())
        + (conditions.isEmpty() ? "" : ", " + conditions);
  }

  private static List<JobCondition> trueConditions(JobStatus status) {
    return status.getConditions() == null
        ? List.of()
        : status.getConditions().stream().filter(c -> "True".equals(c.getStatus())).toList();
  }

  private static int count(Integer value) {
    return value == null ? 0 : value;
  }
}
