package io.datapass.cli.follow;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

/** Where a Job is, from its conditions and counts. */
public enum JobPhase {
  PENDING("Pending"),
  RUNNING("Running"),
  SUSPENDED("Suspended"),
  COMPLETE("Complete"),
  FAILED("Failed");

  private final String shown;

  JobPhase(String shown) {
    this.shown = shown;
  }

  public static JobPhase of(Job job) {
    if (condition(job, "Complete") != null) {
      return COMPLETE;
    }
    if (condition(job, "Failed") != null) {
      return FAILED;
    }
    if (condition(job, "Suspended") != null) {
      return SUSPENDED;
    }
    Integer active = job.getStatus() == null ? null : job.getStatus().getActive();
    return active != null && active > 0 ? RUNNING : PENDING;
  }

  /**
   * "Failed: BackoffLimitExceeded" and the like: the phase with the terminal condition's reason.
   */
  public static String describe(Job job) {
    JobPhase phase = of(job);
    JobCondition failed = condition(job, "Failed");
    if (phase == FAILED && failed.getReason() != null) {
      return phase.shown + ": " + failed.getReason();
    }
    return phase.shown;
  }

  public boolean ended() {
    return this == COMPLETE || this == FAILED;
  }

  @Override
  public String toString() {
    return shown;
  }

  private static JobCondition condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return null;
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst()
        .orElse(null);
  }
}
