package io.datapass.cli.follow;

import io.datapass.common.Printable;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** A submission's tasks: one per index of its Job, each from the latest of its pods. */
public final class Tasks {
  /** The label (and annotation) Kubernetes puts on an Indexed Job's pods. */
  public static final String INDEX = "batch.kubernetes.io/job-completion-index";

  private Tasks() {}

  public static List<TaskStatus> of(Submission submission) {
    TreeMap<Integer, List<Pod>> byIndex = new TreeMap<>();
    for (Pod pod : submission.pods()) {
      byIndex.computeIfAbsent(index(pod), i -> new ArrayList<>()).add(pod);
    }
    Job job = submission.job();
    int count = job == null ? 0 : total(job);
    if (!byIndex.isEmpty()) {
      count = Math.max(count, byIndex.lastKey() + 1);
    }
    Set<Integer> completed =
        job == null
            ? Set.of()
            : indexes(job.getStatus() == null ? null : job.getStatus().getCompletedIndexes());
    Set<Integer> failed =
        job == null
            ? Set.of()
            : indexes(job.getStatus() == null ? null : job.getStatus().getFailedIndexes());
    List<TaskStatus> tasks = new ArrayList<>();
    for (int index = 0; index < count; index++) {
      List<Pod> pods = byIndex.getOrDefault(index, List.of());
      if (pods.isEmpty()) {
        String state =
            completed.contains(index) ? "Succeeded" : failed.contains(index) ? "Failed" : "Waiting";
        tasks.add(new TaskStatus(index, state, 0, null, null, null, null));
      } else {
        tasks.add(fromPod(index, pods.get(pods.size() - 1), pods.size()));
      }
    }
    return tasks;
  }

  /** The task a pod runs: its completion index, 0 for a Job that is not Indexed. */
  public static int index(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String value = labels == null ? null : labels.get(INDEX);
    if (value == null && annotations != null) {
      value = annotations.get(INDEX);
    }
    try {
      return value == null ? 0 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static TaskStatus fromPod(int index, Pod pod, int attempts) {
    PodAnnotations reported = PodAnnotations.of(pod);
    PodAnnotations.Transition last = reported.last();
    String state = reported.state();
    String detail = last == null ? null : last.detail();
    Instant at = last == null ? null : last.at();
    if (state == null) {
      state =
          pod.getStatus() == null || pod.getStatus().getPhase() == null
              ? "Pending"
              : pod.getStatus().getPhase();
      detail = podDetail(pod);
    }
    if (at == null && pod.getStatus() != null && pod.getStatus().getStartTime() != null) {
      at = Instant.parse(pod.getStatus().getStartTime());
    }
    if (at == null && pod.getMetadata().getCreationTimestamp() != null) {
      at = Instant.parse(pod.getMetadata().getCreationTimestamp());
    }
    // what a pod reports (its annotation, its termination message) reaches the terminal escaped
    return new TaskStatus(
        index,
        Printable.escaped(state),
        attempts,
        at,
        reported.bytesOut(),
        pod.getMetadata().getName(),
        Printable.escaped(detail));
  }

  /** Why a pod the sidecar said nothing about is where it is: a waiting reason, an exit. */
  private static String podDetail(Pod pod) {
    if (pod.getStatus() == null) {
      return null;
    }
    List<ContainerStatus> statuses = new ArrayList<>();
    if (pod.getStatus().getInitContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getInitContainerStatuses());
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getContainerStatuses());
    }
    for (ContainerStatus status : statuses) {
      if (status.getState() == null) {
        continue;
      }
      if (status.getState().getWaiting() != null
          && status.getState().getWaiting().getReason() != null
          && !"PodInitializing".equals(status.getState().getWaiting().getReason())) {
        return status.getName() + ": " + status.getState().getWaiting().getReason();
      }
      ContainerStateTerminated ended = status.getState().getTerminated();
      if (ended != null && ended.getExitCode() != null && ended.getExitCode() != 0) {
        return status.getName()
            + ": exit "
            + ended.getExitCode()
            + (ended.getReason() == null ? "" : " (" + ended.getReason() + ")");
      }
    }
    return pod.getStatus().getReason();
  }

  private static int total(Job job) {
    Integer completions = job.getSpec() == null ? null : job.getSpec().getCompletions();
    return completions == null ? 1 : completions;
  }

  /** Kubernetes' index ranges, "0-2,4", as a set. */
  static Set<Integer> indexes(String ranges) {
    Set<Integer> indexes = new HashSet<>();
    if (ranges == null || ranges.isBlank()) {
      return indexes;
    }
    for (String range : ranges.split(",")) {
      String[] ends = range.strip().split("-");
      try {
        int first = Integer.parseInt(ends[0]);
        int last = ends.length > 1 ? Integer.parseInt(ends[1]) : first;
        for (int i = first; i <= last; i++) {
          indexes.add(i);
        }
      } catch (NumberFormatException ignored) {
        // a form this version does not know: the pods still tell
      }
    }
    return indexes;
  }
}
