package io.datapass.sidecar;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

/**
 * How the payload container ended, as its pod's status tells it, and what that makes of the end the
 * /workdir files showed. The kubelet writes a pod-level reason (Evicted, DeadlineExceeded, a node
 * shutdown's Terminated) and a DisruptionTarget condition before it stops the containers, so they
 * name the cause of a kill; the container's own terminated state gives its exit code and OOMKilled,
 * which the wrapper cannot report when the kill took the whole container.
 *
 * @param exitCode the container's exit code; null while its terminated state is not known
 * @param containerReason the terminated state's reason: OOMKilled, Error, Completed...
 * @param podReason why the pod was stopped: status.reason, else a DisruptionTarget condition's
 * @param podMessage what Kubernetes said with that reason
 * @param deleted the pod is being deleted
 */
record PayloadTermination(
    Integer exitCode,
    String containerReason,
    String podReason,
    String podMessage,
    boolean deleted) {

  static final String OOM_KILLED = "OOMKilled";
  private static final String DISRUPTION_TARGET = "DisruptionTarget";

  /** What {@code pod} says; {@code container} null when the payload's container is not known. */
  static PayloadTermination of(Pod pod, String container) {
    ContainerStateTerminated terminated = terminated(pod, container);
    String reason = pod.getStatus() == null ? null : blankToNull(pod.getStatus().getReason());
    String message = reason == null ? null : pod.getStatus().getMessage();
    if (reason == null && pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      for (PodCondition condition : pod.getStatus().getConditions()) {
        if (DISRUPTION_TARGET.equals(condition.getType()) && "True".equals(condition.getStatus())) {
          reason = blankToNull(condition.getReason());
          reason = reason == null ? DISRUPTION_TARGET : reason;
          message = condition.getMessage();
        }
      }
    }
    return new PayloadTermination(
        terminated == null ? null : terminated.getExitCode(),
        terminated == null ? null : blankToNull(terminated.getReason()),
        reason,
        blankToNull(message),
        pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null);
  }

  /**
   * The container's terminated state, or its last one when it was restarted since (the first end is
   * the one the sidecar reports); null while the kubelet has not posted it.
   */
  static ContainerStateTerminated terminated(Pod pod, String container) {
    if (container == null
        || pod.getStatus() == null
        || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
      if (container.equals(status.getName())) {
        if (status.getState() != null && status.getState().getTerminated() != null) {
          return status.getState().getTerminated();
        }
        if (status.getLastState() != null && status.getLastState().getTerminated() != null) {
          return status.getLastState().getTerminated();
        }
      }
    }
    return null;
  }

  /**
   * The end to report: KILLED with the reason when memory ran out or Kubernetes stopped the pod
   * (evicted, past its deadline, preempted, deleted while the payload ran); else the exit code of a
   * payload that wrote no {@code done}; else the end the files showed.
   *
   * @param doneWritten the wrapper wrote {@code done}: its exit code is the payload's own
   */
  Lifecycle.PayloadEnd explain(Lifecycle.PayloadEnd fromFiles, boolean doneWritten) {
    // the wrapper's done holds the payload's own code; the container's is the same, or the only one
    Integer code = doneWritten && fromFiles.exitCode() != null ? fromFiles.exitCode() : exitCode;
    String exit = code == null ? "" : " (exit " + code + ")";
    if (OOM_KILLED.equals(containerReason)) {
      return new Lifecycle.PayloadEnd(Transition.KILLED, OOM_KILLED + exit, code);
    }
    if (podReason != null) {
      String why = podMessage == null ? podReason : podReason + ": " + podMessage;
      return new Lifecycle.PayloadEnd(Transition.KILLED, why + exit, code);
    }
    // a deletion explains a payload that was stopped (a signal's exit code, or no done at all)
    if (deleted && (!doneWritten || code != null && code >= 128)) {
      return new Lifecycle.PayloadEnd(Transition.KILLED, "the pod was deleted" + exit, code);
    }
    if (!doneWritten && exitCode != null) {
      String how = containerReason == null ? "" : ", " + containerReason;
      return exitCode == 0
          ? new Lifecycle.PayloadEnd(
              Transition.DONE, "payload exited with code 0 (the pod's status; no done)", 0)
          : new Lifecycle.PayloadEnd(
              Transition.ERROR,
              "payload exited with code " + exitCode + " (the pod's status" + how + "; no done)",
              exitCode);
    }
    return fromFiles;
  }

  /** One log line's worth. */
  String describe() {
    return "exit code "
        + (exitCode == null ? "not posted" : exitCode)
        + (containerReason == null ? "" : ", " + containerReason)
        + (podReason == null ? "" : ", pod " + podReason)
        + (deleted ? ", pod deleted" : "");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
