package io.datapass.cli.user;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One user's pod and its Service as the cluster shows them at one moment, found by the name the
 * chart gives both.
 *
 * @param pod the pod, or null when there is none
 * @param service the Service, or null
 */
record UserPod(Pod pod, Service service) {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._@%+=:,/-]+");

  /** Whose pod: the values file, the experiment and user, and the name of the pod and release. */
  record Identity(Path values, String experiment, String user, String name) {
    /** The command line that does {@code verb} to this pod: "datapass user stop ...". */
    String command(String verb, String namespace) {
      return "datapass user "
          + verb
          + " "
          + quoted(values.toString())
          + " --name "
          + quoted(user)
          + " -n "
          + namespace;
    }
  }

  static UserPod read(KubernetesClient client, String namespace, String name) {
    return new UserPod(
        client.pods().inNamespace(namespace).withName(name).get(),
        client.services().inNamespace(namespace).withName(name).get());
  }

  boolean exists() {
    return pod != null || service != null;
  }

  /** Running, whether ready or not yet (a tool restarting); not Pending, not ended. */
  boolean running() {
    return pod != null && "Running".equals(phase()) && !terminating();
  }

  /** It will not run again: Succeeded or Failed (its maximum lifetime over, among others). */
  boolean ended() {
    return pod != null && ("Succeeded".equals(phase()) || "Failed".equals(phase()));
  }

  boolean ready() {
    List<PodCondition> conditions = pod == null ? null : pod.getStatus().getConditions();
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** "Running, ready", "Pending (ErrImagePull: ...)", "Failed (DeadlineExceeded: ...)". */
  String state() {
    if (pod == null) {
      return "no pod";
    }
    if (terminating()) {
      return "Terminating";
    }
    String phase = phase();
    if ("Running".equals(phase)) {
      return ready() ? "Running, ready" : "Running, not ready" + why(waiting());
    }
    String reason = pod.getStatus().getReason();
    if (reason != null) {
      return phase + why(reason + ": " + pod.getStatus().getMessage());
    }
    return phase + why(waiting());
  }

  /** "uid 1000, gid 1000, fsGroup 1000", from the pod's security context. */
  String owner() {
    PodSecurityContext context = pod == null ? null : pod.getSpec().getSecurityContext();
    if (context == null) {
      return "uid -, gid -";
    }
    return "uid "
        + context.getRunAsUser()
        + ", gid "
        + context.getRunAsGroup()
        + (context.getFsGroup() == null ? "" : ", fsGroup " + context.getFsGroup());
  }

  private String phase() {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return phase == null ? "Pending" : phase;
  }

  private boolean terminating() {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  /** The first container's reason to wait (ContainerCreating, ImagePullBackOff), or null. */
  private String waiting() {
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
    if (statuses == null) {
      return null;
    }
    for (ContainerStatus status : statuses) {
      if (status.getState() != null && status.getState().getWaiting() != null) {
        var waiting = status.getState().getWaiting();
        return status.getName()
            + ": "
            + waiting.getReason()
            + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage());
      }
    }
    return null;
  }

  private static String why(String reason) {
    return reason == null ? "" : " (" + reason + ")";
  }

  /** As a shell would take it back: plain words bare, others in single quotes. */
  static String quoted(String word) {
    return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
  }
}
