package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import org.junit.jupiter.api.Test;

/** What the pod's status makes of the end the /workdir files showed. */
class PayloadTerminationTest {
  private static final Lifecycle.PayloadEnd NO_DONE =
      new Lifecycle.PayloadEnd(Transition.KILLED, Lifecycle.KILLED_WITHOUT_DONE, null);

  private static Lifecycle.PayloadEnd done(int code) {
    return new Lifecycle.PayloadEnd(
        code == 0 ? Transition.DONE : Transition.ERROR, "payload exited with code " + code, code);
  }

  /** A pod whose container "payload" ended with {@code code} and {@code reason}. */
  private static PodBuilder ended(int code, String reason) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("job-1-0-x")
        .endMetadata()
        .withNewStatus()
        .addToContainerStatuses(
            new ContainerStatusBuilder()
                .withName("payload")
                .withNewState()
                .withNewTerminated()
                .withExitCode(code)
                .withReason(reason)
                .endTerminated()
                .endState()
                .build())
        .endStatus();
  }

  private static Lifecycle.PayloadEnd explain(
      Pod pod, Lifecycle.PayloadEnd fromFiles, boolean doneWritten) {
    return PayloadTermination.of(pod, "payload").explain(fromFiles, doneWritten);
  }

  @Test
  void anOomKillThatTookTheWrapperIsKilledWithTheReasonAndExitCode() {
    assertThat(explain(ended(137, "OOMKilled").build(), NO_DONE, false))
        .isEqualTo(new Lifecycle.PayloadEnd(Transition.KILLED, "OOMKilled (exit 137)", 137));
  }

  /** cgroup v1 kills one process: the wrapper survives and writes done 137. */
  @Test
  void anOomKillTheWrapperSurvivedIsKilledNotAnError() {
    assertThat(explain(ended(137, "OOMKilled").build(), done(137), true))
        .isEqualTo(new Lifecycle.PayloadEnd(Transition.KILLED, "OOMKilled (exit 137)", 137));
  }

  @Test
  void aPodPastItsDeadlineIsKilledWithKubernetesReason() {
    Pod pod =
        ended(143, "Error")
            .editStatus()
            .withPhase("Failed")
            .withReason("DeadlineExceeded")
            .withMessage("Pod was active on the node longer than the specified deadline")
            .endStatus()
            .build();

    assertThat(explain(pod, done(143), true))
        .isEqualTo(
            new Lifecycle.PayloadEnd(
                Transition.KILLED,
                "DeadlineExceeded: Pod was active on the node longer than the specified deadline"
                    + " (exit 143)",
                143));
  }

  @Test
  void anEvictionThroughTheApiIsKilledWithTheDisruptionReason() {
    Pod pod =
        ended(143, "Error")
            .editStatus()
            .addToConditions(
                new PodConditionBuilder()
                    .withType("DisruptionTarget")
                    .withStatus("True")
                    .withReason("EvictionByEvictionAPI")
                    .withMessage("Eviction API: evicting")
                    .build())
            .endStatus()
            .build();

    assertThat(explain(pod, done(143), true).detail())
        .isEqualTo("EvictionByEvictionAPI: Eviction API: evicting (exit 143)");
    assertThat(explain(pod, done(143), true).state()).isEqualTo(Transition.KILLED);
  }

  @Test
  void aDeletedPodExplainsAStoppedPayloadButNotOneThatFailedOnItsOwn() {
    Pod deleted = deleted(143);

    assertThat(explain(deleted, done(143), true))
        .isEqualTo(
            new Lifecycle.PayloadEnd(Transition.KILLED, "the pod was deleted (exit 143)", 143));
    assertThat(explain(deleted, NO_DONE, false).state()).isEqualTo(Transition.KILLED);
    assertThat(explain(deleted(3), done(3), true)).isEqualTo(done(3));
  }

  private static Pod deleted(int code) {
    return ended(code, "Error")
        .editMetadata()
        .withDeletionTimestamp("2026-01-01T00:00:00Z")
        .endMetadata()
        .build();
  }

  @Test
  void withoutDoneTheContainersExitCodeIsThePayloads() {
    assertThat(explain(ended(2, "Error").build(), NO_DONE, false))
        .isEqualTo(
            new Lifecycle.PayloadEnd(
                Transition.ERROR,
                "payload exited with code 2 (the pod's status, Error; no done)",
                2));
    assertThat(explain(ended(0, "Completed").build(), NO_DONE, false).state())
        .isEqualTo(Transition.DONE);
  }

  @Test
  void withDoneAnOrdinaryFailureStaysAsTheWrapperReportedIt() {
    assertThat(explain(ended(3, "Error").build(), done(3), true)).isEqualTo(done(3));
  }

  @Test
  void aStatusNotPostedYetChangesNothing() {
    Pod running =
        new PodBuilder()
            .withNewStatus()
            .addToContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("payload")
                    .withNewState()
                    .withNewRunning()
                    .endRunning()
                    .endState()
                    .build())
            .endStatus()
            .build();

    assertThat(PayloadTermination.of(running, "payload").exitCode()).isNull();
    assertThat(explain(running, NO_DONE, false)).isEqualTo(NO_DONE);
  }

  @Test
  void anUnknownContainerGivesOnlyThePodsOwnReason() {
    Pod evicted =
        ended(137, "OOMKilled")
            .editStatus()
            .withReason("Evicted")
            .withMessage("The node was low on resource: memory.")
            .endStatus()
            .build();

    assertThat(PayloadTermination.of(evicted, null).explain(NO_DONE, false))
        .isEqualTo(
            new Lifecycle.PayloadEnd(
                Transition.KILLED, "Evicted: The node was low on resource: memory.", null));
  }

  @Test
  void aRestartedContainersFirstEndIsTheOneReported() {
    Pod restarted =
        new PodBuilder()
            .withNewStatus()
            .addToContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("payload")
                    .withNewState()
                    .withNewRunning()
                    .endRunning()
                    .endState()
                    .withNewLastState()
                    .withNewTerminated()
                    .withExitCode(137)
                    .withReason("OOMKilled")
                    .endTerminated()
                    .endLastState()
                    .build())
            .endStatus()
            .build();

    assertThat(explain(restarted, NO_DONE, false).detail()).isEqualTo("OOMKilled (exit 137)");
  }
}
