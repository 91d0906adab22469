package io.datapass.cli.follow;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Follows one submission from snapshot to snapshot: what changed in between, as lines, and whether
 * it has ended. It succeeded when its Job completed, and its cleanup Job too when it has one; a Job
 * deleted before its end was seen counts as failed.
 */
final class SubmissionWatch {
  /** How the submission ended. */
  record Outcome(boolean succeeded, String summary) {}

  private final Set<String> seen = new HashSet<>();
  private JobPhase jobPhase;
  private JobPhase cleanupPhase;
  private boolean cleanupSeen;

  /**
   * Lines for what changed since the previous snapshot, each starting with its time, in time order
   * (transitions the sidecar recorded between two looks come before what the look itself saw).
   */
  List<String> changes(Submission submission, Instant now) {
    List<String> lines = new ArrayList<>();
    if (submission.job() != null) {
      JobPhase phase = JobPhase.of(submission.job());
      if (phase != jobPhase) {
        lines.add(
            stamp(now)
                + " Job "
                + name(submission.job())
                + ": "
                + JobPhase.describe(submission.job()));
      }
      jobPhase = phase;
    }
    for (Pod pod : submission.pods()) {
      lines.addAll(podChanges(pod, now));
    }
    if (submission.cleanup() != null) {
      cleanupSeen = true;
      JobPhase phase = JobPhase.of(submission.cleanup());
      if (phase != cleanupPhase) {
        lines.add(
            stamp(now)
                + " cleanup Job "
                + name(submission.cleanup())
                + ": "
                + JobPhase.describe(submission.cleanup()));
      }
      cleanupPhase = phase;
    }
    // by the time alone (ISO-8601 instants of one length sort as text): the sort is stable, so
    // transitions of the same second keep their order
    lines.sort(Comparator.comparing(line -> line.substring(0, line.indexOf(' '))));
    return lines;
  }

  /** The end, once there is one; null while the submission runs. Call after {@link #changes}. */
  Outcome outcome(Submission submission) {
    boolean jobEnded = jobPhase != null && jobPhase.ended();
    if (!jobEnded) {
      if (submission.job() != null) {
        return null;
      }
      return new Outcome(
          false,
          jobPhase == null
              ? "its Job is gone and its end was not seen"
              : "its Job was deleted before it ended (cancelled?)");
    }
    if (cleanupSeen) {
      boolean cleanupEnded = cleanupPhase != null && cleanupPhase.ended();
      if (!cleanupEnded) {
        return submission.cleanup() != null
            ? null
            : new Outcome(false, "its cleanup Job was deleted before it ended");
      }
      if (cleanupPhase == JobPhase.FAILED) {
        return new Outcome(
            false,
            "the Job " + jobPhase + ", but its cleanup Job failed: the outputs may not be stored");
      }
    }
    return jobPhase == JobPhase.COMPLETE
        ? new Outcome(
            true, "its Job completed" + (cleanupSeen ? " and its cleanup stored the outputs" : ""))
        : new Outcome(false, "its Job failed");
  }

  private List<String> podChanges(Pod pod, Instant now) {
    List<String> lines = new ArrayList<>();
    String uid = pod.getMetadata().getUid();
    String task = "task " + Tasks.index(pod);
    if (seen.add(uid)) {
      lines.add(stamp(now) + " " + task + ": pod " + name(pod));
    }
    PodAnnotations reported = PodAnnotations.of(pod);
    for (PodAnnotations.Transition transition : reported.history()) {
      if (seen.add(uid + "/" + transition.at() + "/" + transition.state())) {
        String detail = transition.detail() == null ? "" : " (" + transition.detail() + ")";
        Instant at = transition.at() == null ? now : transition.at();
        lines.add(stamp(at) + " " + task + ": " + transition.state() + detail);
      }
    }
    if (reported.history().isEmpty()
        && pod.getStatus() != null
        && pod.getStatus().getPhase() != null) {
      String phase = pod.getStatus().getPhase();
      if (seen.add(uid + "/phase/" + phase)) {
        lines.add(stamp(now) + " " + task + ": pod " + phase);
      }
    }
    return lines;
  }

  private static String name(Pod pod) {
    return pod.getMetadata().getName();
  }

  private static String name(Job job) {
    return job.getMetadata().getName();
  }

  private static String stamp(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
