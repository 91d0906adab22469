package io.datapass.cli.follow;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a watch ends and what it says, from successive snapshots of a submission. */
class SubmissionWatchTest {
  private static final Instant NOW = Instant.parse("2026-11-30T14:22:33Z");
  private final SubmissionWatch watch = new SubmissionWatch();

  private static Job job(String name, String condition, Integer active) {
    JobBuilder job =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withCompletions(2)
            .endSpec();
    var status = job.withNewStatus().withActive(active);
    if (condition != null) {
      status
          .addNewCondition()
          .withType(condition)
          .withStatus("True")
          .withReason("Because")
          .endCondition();
    }
    return status.endStatus().build();
  }

  private static Submission snapshot(Job job, Job cleanup, Pod... pods) {
    return new Submission("s-1", "ns", job, cleanup, List.of(pods));
  }

  private SubmissionWatch.Outcome after(Submission... snapshots) {
    SubmissionWatch.Outcome outcome = null;
    for (Submission snapshot : snapshots) {
      watch.changes(snapshot, NOW);
      outcome = watch.outcome(snapshot);
    }
    return outcome;
  }

  @Test
  void aRunningJobHasNoOutcomeYet() {
    assertThat(after(snapshot(job("s-1", null, 2), null))).isNull();
  }

  @Test
  void aCompleteJobSucceeds() {
    assertThat(
            after(snapshot(job("s-1", null, 2), null), snapshot(job("s-1", "Complete", 0), null)))
        .isEqualTo(new SubmissionWatch.Outcome(true, "its Job completed"));
  }

  @Test
  void aJobDeletedBeforeItsEndFails() {
    assertThat(after(snapshot(job("s-1", null, 2), null), snapshot(null, null)))
        .isEqualTo(
            new SubmissionWatch.Outcome(false, "its Job was deleted before it ended (cancelled?)"));
  }

  @Test
  void withACleanupJobTheSubmissionEndsWithIt() {
    Job cleanupRunning = job("s-1-cleanup", null, 1);
    assertThat(after(snapshot(job("s-1", "Complete", 0), cleanupRunning))).isNull();
    // the cleanup deletes the batch Job once it stored the outputs
    assertThat(after(snapshot(null, job("s-1-cleanup", "Complete", 0))))
        .isEqualTo(
            new SubmissionWatch.Outcome(
                true, "its Job completed and its cleanup stored the outputs"));
  }

  @Test
  void aFailedCleanupFailsACompleteJob() {
    SubmissionWatch.Outcome outcome =
        after(
            snapshot(job("s-1", "Complete", 0), job("s-1-cleanup", null, 1)),
            snapshot(null, job("s-1-cleanup", "Failed", 0)));

    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.summary()).contains("its cleanup Job failed");
  }

  @Test
  void aJobGoneBeforeTheWatchSawItFailsWhateverTheCleanupDid() {
    assertThat(after(snapshot(null, job("s-1-cleanup", "Complete", 0))))
        .isEqualTo(new SubmissionWatch.Outcome(false, "its Job is gone and its end was not seen"));
  }

  @Test
  void eachTransitionIsPrintedOnceWithItsTimeInTimeOrder() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("s-1-1-abcde")
            .withUid("u1")
            .addToLabels(Tasks.INDEX, "1")
            .addToAnnotations(
                PodAnnotations.HISTORY,
                "[{\"state\":\"RUNNING\",\"at\":\"2026-11-30T14:20:02Z\"},"
                    + "{\"state\":\"DONE\",\"at\":\"2026-11-30T14:20:09.123Z\",\"detail\":\"2 outputs stored\"}]")
            .endMetadata()
            .build();
    Submission snapshot = snapshot(job("s-1", null, 1), null, pod);

    List<String> first = watch.changes(snapshot, NOW);
    List<String> again = watch.changes(snapshot, NOW);

    assertThat(first)
        .containsExactly(
            "2026-11-30T14:20:02Z task 1: RUNNING",
            "2026-11-30T14:20:09Z task 1: DONE (2 outputs stored)",
            "2026-11-30T14:22:33Z Job s-1: Running",
            "2026-11-30T14:22:33Z task 1: pod s-1-1-abcde");
    assertThat(again).isEmpty();
  }

  @Test
  void aDetailsControlCharactersArePrintedEscaped() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("s-1-1-abcde")
            .withUid("u1")
            .addToLabels(Tasks.INDEX, "1")
            .addToAnnotations(
                PodAnnotations.HISTORY,
                "[{\"state\":\"FAILED\",\"at\":\"2026-11-30T14:20:09Z\","
                    + "\"detail\":\"out/\\u001b[2J\\u0007\\r\\nforged\"}]")
            .endMetadata()
            .build();

    assertThat(watch.changes(snapshot(job("s-1", null, 1), null, pod), NOW))
        .contains("2026-11-30T14:20:09Z task 1: FAILED (out/\\u001b[2J\\u0007\\r\\nforged)");
  }

  @Test
  void transitionsOfTheSameSecondKeepTheirOrder() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("s-1-0-abcde")
            .withUid("u0")
            .addToAnnotations(
                PodAnnotations.HISTORY,
                "[{\"state\":\"STARTED\",\"at\":\"2026-11-30T14:20:02.100Z\"},"
                    + "{\"state\":\"RUNNING\",\"at\":\"2026-11-30T14:20:02.200Z\"},"
                    + "{\"state\":\"TERMINATING\",\"at\":\"2026-11-30T14:20:02.300Z\"},"
                    + "{\"state\":\"DONE\",\"at\":\"2026-11-30T14:20:02.400Z\"}]")
            .endMetadata()
            .build();

    List<String> lines = watch.changes(snapshot(job("s-1", null, 1), null, pod), NOW);

    assertThat(lines)
        .containsExactly(
            "2026-11-30T14:20:02Z task 0: STARTED",
            "2026-11-30T14:20:02Z task 0: RUNNING",
            "2026-11-30T14:20:02Z task 0: TERMINATING",
            "2026-11-30T14:20:02Z task 0: DONE",
            "2026-11-30T14:22:33Z Job s-1: Running",
            "2026-11-30T14:22:33Z task 0: pod s-1-0-abcde");
  }

  @Test
  void indexRangesAreRead() {
    assertThat(Tasks.indexes("0-2,4,7-8")).containsExactlyInAnyOrder(0, 1, 2, 4, 7, 8);
    assertThat(Tasks.indexes("")).isEmpty();
    assertThat(Tasks.indexes(null)).isEmpty();
  }
}
