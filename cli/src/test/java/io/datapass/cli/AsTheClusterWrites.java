package io.datapass.cli;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the parts of a cluster the API-server fixture lacks would write: the Job controller's pods
 * and Job status, the sidecar's annotations and Events (the shapes of {@code PodStateWriter} and
 * Kubernetes' own). Written through the real API server, as they would be.
 */
public final class AsTheClusterWrites {
  private final KubernetesClient client;
  private final String namespace;

  public AsTheClusterWrites(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  public Job job(String name) {
    return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
  }

  /**
   * A pod of the Job's index, as the Job controller names and labels it, in {@code phase}, with the
   * sidecar's annotations when {@code states} are given ("STATE@instant@detail" each).
   */
  public Pod pod(
      String job, int index, String suffix, String phase, String progress, String... states) {
    return podOnNode(job, index, suffix, null, phase, progress, states);
  }

  /** The same, bound to {@code node} (null: none), as the scheduler would. */
  public Pod podOnNode(
      String job,
      int index,
      String suffix,
      String node,
      String phase,
      String progress,
      String... states) {
    Job owner = job(job);
    Map<String, String> labels =
        new HashMap<>(owner.getSpec().getTemplate().getMetadata().getLabels());
    labels.put("batch.kubernetes.io/job-completion-index", Integer.toString(index));
    labels.put("job-name", job);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("batch.kubernetes.io/job-completion-index", Integer.toString(index));
    if (states.length > 0) {
      List<String> history = new ArrayList<>();
      String last = null;
      for (String state : states) {
        String[] parts = state.split("@", 3);
        last = parts[0];
        history.add(
            "{\"state\":\""
                + parts[0]
                + "\",\"at\":\""
                + parts[1]
                + "\""
                + (parts.length > 2 ? ",\"detail\":\"" + parts[2] + "\"" : "")
                + "}");
      }
      annotations.put("datapass.io/state", last);
      annotations.put("datapass.io/state-history", "[" + String.join(",", history) + "]");
    }
    if (progress != null) {
      annotations.put("datapass.io/progress", progress);
    }
    Pod pod =
        client
            .pods()
            .inNamespace(namespace)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(job + "-" + index + "-" + suffix)
                    .withLabels(labels)
                    .withAnnotations(annotations)
                    .endMetadata()
                    .withNewSpec()
                    .withNodeName(node)
                    .withRestartPolicy("Never")
                    .addNewContainer()
                    .withName("payload")
                    .withImage("datapass/busybox:test")
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    pod.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase(phase)
            .withStartTime("2026-11-30T14:20:00Z")
            .build());
    return client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  /** An Event about a pod, as the sidecar writes one per transition. */
  public Event event(Pod pod, String reason) {
    return client
        .v1()
        .events()
        .inNamespace(namespace)
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName(pod.getMetadata().getName() + "." + reason.toLowerCase())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion("v1")
                .withKind("Pod")
                .withName(pod.getMetadata().getName())
                .withNamespace(namespace)
                .withUid(pod.getMetadata().getUid())
                .endInvolvedObject()
                .withReason(reason)
                .withMessage(reason)
                .withType("Normal")
                .withFirstTimestamp("2026-11-30T14:20:00Z")
                .withLastTimestamp("2026-11-30T14:20:00Z")
                .build())
        .create();
  }

  /** The Job running: counts and completed indexes as the controller keeps them. */
  public Job running(String name, int active, int succeeded, int failed, String completedIndexes) {
    Job job = job(name);
    JobStatus status = new JobStatus();
    status.setStartTime("2026-11-30T14:19:58Z");
    status.setActive(active);
    status.setSucceeded(succeeded);
    status.setFailed(failed);
    status.setCompletedIndexes(completedIndexes);
    job.setStatus(status);
    return client.batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
  }

  /** The Job ended: SuccessCriteriaMet then Complete, or FailureTarget then Failed. */
  public Job ended(String name, boolean complete, String reason) {
    Job job = job(name);
    int tasks = job.getSpec().getCompletions();
    JobStatus status = new JobStatus();
    status.setStartTime("2026-11-30T14:19:58Z");
    status.setActive(0);
    status.setSucceeded(complete ? tasks : 0);
    status.setFailed(complete ? 0 : 1);
    if ("Indexed".equals(job.getSpec().getCompletionMode()) && complete) {
      status.setCompletedIndexes(tasks == 1 ? "0" : "0-" + (tasks - 1));
    }
    if (complete) {
      status.setCompletionTime("2026-11-30T14:21:00Z");
    }
    status.setConditions(
        List.of(
            condition(complete ? "SuccessCriteriaMet" : "FailureTarget", reason),
            condition(complete ? "Complete" : "Failed", reason)));
    job.setStatus(status);
    return client.batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
  }

  private static JobCondition condition(String type, String reason) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withLastProbeTime(Instant.parse("2026-11-30T14:21:00Z").toString())
        .withLastTransitionTime(Instant.parse("2026-11-30T14:21:00Z").toString())
        .build();
  }
}
