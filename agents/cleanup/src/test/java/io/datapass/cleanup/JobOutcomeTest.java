package io.datapass.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import org.junit.jupiter.api.Test;

/** How a Job's status reads: finished or not, and in one line for the log. */
class JobOutcomeTest {

  private static Job job(JobStatusBuilder status) {
    return new JobBuilder()
        .withNewMetadata()
        .withName("job-42")
        .endMetadata()
        .withStatus(status.build())
        .build();
  }

  private static JobConditionBuilder condition(String type, String status, String reason) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(type + " says " + reason);
  }

  @Test
  void aJobWithoutStatusOrTerminalConditionHasNotFinished() {
    assertThat(
            JobOutcome.of(new JobBuilder().withNewMetadata().withName("j").endMetadata().build()))
        .isEmpty();
    Job interim =
        job(
            new JobStatusBuilder()
                .withActive(0)
                .withFailed(1)
                .addToConditions(condition("FailureTarget", "True", "BackoffLimitExceeded").build())
                .addToConditions(condition("Failed", "False", "BackoffLimitExceeded").build()));

    assertThat(JobOutcome.of(interim)).isEmpty();
    assertThat(JobOutcome.describe(interim))
        .isEqualTo("active 0, succeeded 0, failed 1, FailureTarget (BackoffLimitExceeded)");
  }

  @Test
  void aCompleteJob() {
    Job job =
        job(
            new JobStatusBuilder()
                .withSucceeded(3)
                .withFailed(1)
                .addToConditions(
                    condition("SuccessCriteriaMet", "True", "CompletionsReached").build())
                .addToConditions(condition("Complete", "True", "CompletionsReached").build()));

    assertThat(JobOutcome.of(job))
        .contains(
            new JobOutcome(
                "job-42",
                "Complete",
                "CompletionsReached",
                "Complete says CompletionsReached",
                3,
                1));
    assertThat(JobOutcome.describe(job))
        .isEqualTo(
            "active 0, succeeded 3, failed 1, SuccessCriteriaMet (CompletionsReached), Complete "
                + "(CompletionsReached)");
  }

  @Test
  void aFailedJob() {
    Job job =
        job(
            new JobStatusBuilder()
                .withFailed(1)
                .addToConditions(condition("Failed", "True", "DeadlineExceeded").build()));

    assertThat(JobOutcome.of(job).orElseThrow().state()).isEqualTo(JobOutcome.FAILED);
    assertThat(JobOutcome.of(job).orElseThrow().reason()).isEqualTo("DeadlineExceeded");
  }
}
