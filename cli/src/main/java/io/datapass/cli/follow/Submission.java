package io.datapass.cli.follow;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One submission as the cluster shows it at one moment: its batch Job, its cleanup Job and their
 * pods, found by the label {@code datapass.io/submission} the chart puts on everything.
 *
 * @param job the batch Job, or null when there is none (not yet, or deleted)
 * @param cleanup the cleanup Job, or null
 * @param pods the batch Job's pods, oldest first
 */
public record Submission(String name, String namespace, Job job, Job cleanup, List<Pod> pods) {
  public static final String LABEL = "datapass.io/submission";
  public static final String COMPONENT = "app.kubernetes.io/component";

  public static Submission read(KubernetesClient client, String namespace, String name) {
    List<Job> jobs =
        client.batch().v1().jobs().inNamespace(namespace).withLabel(LABEL, name).list().getItems();
    List<Pod> pods =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel(LABEL, name)
            .withLabel(COMPONENT, "job")
            .list()
            .getItems()
            .stream()
            .sorted(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()))
            .toList();
    return new Submission(
        name, namespace, component(jobs, "job"), component(jobs, "cleanup"), pods);
  }

  public boolean exists() {
    return job != null || cleanup != null || !pods.isEmpty();
  }

  /** The experiment, from the Job's label; "" when unknown. */
  public String experiment() {
    if (job == null || job.getMetadata().getLabels() == null) {
      return "";
    }
    return job.getMetadata().getLabels().getOrDefault("datapass.io/experiment", "");
  }

  static String component(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? "" : labels.getOrDefault(COMPONENT, "");
  }

  private static Job component(List<Job> jobs, String component) {
    return jobs.stream().filter(j -> component.equals(component(j))).findFirst().orElse(null);
  }
}
