package io.datapass.cleanup;

import io.datapass.kube.testing.ApiServerFixture;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A payload's Job and its output claim on an API server that runs no controllers: the test writes
 * the Job's status through the status subresource, as the Job controller of Kubernetes 1.34 would.
 */
final class KubeJobs {
  private static final Pattern WATCHES =
      Pattern.compile(
          "^apiserver_longrunning_requests\\{[^}]*resource=\"jobs\"[^}]*verb=\"WATCH\"[^}]*} (\\d+)",
          Pattern.MULTILINE);

  private KubeJobs() {}

  enum End {
    COMPLETE,
    FAILED
  }

  /** A Job with one running pod, and its output claim. */
  static void running(KubernetesClient admin, String namespace, String name) {
    admin
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(NonDeletingOperation::update);
    admin
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withNewTemplate()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName("payload")
                .withImage("busybox:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    status(
        admin,
        namespace,
        name,
        new JobStatusBuilder().withStartTime(now()).withActive(1).withReady(0).build());
    admin
        .persistentVolumeClaims()
        .inNamespace(namespace)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name + "-output")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity("1Mi"))
                .endResources()
                .endSpec()
                .build())
        .create();
  }

  /**
   * Ends the Job as the controller does: the interim condition (SuccessCriteriaMet, FailureTarget)
   * with the terminal one after it.
   */
  static void finish(KubernetesClient admin, String namespace, String name, End end) {
    JobStatus current =
        admin.batch().v1().jobs().inNamespace(namespace).withName(name).get().getStatus();
    JobStatusBuilder status =
        new JobStatusBuilder().withStartTime(current.getStartTime()).withActive(0).withReady(0);
    if (end == End.COMPLETE) {
      String reason = "CompletionsReached";
      String message = "Reached expected number of succeeded pods";
      status
          .withSucceeded(1)
          .withFailed(0)
          .withCompletionTime(now())
          .addToConditions(condition("SuccessCriteriaMet", reason, message))
          .addToConditions(condition("Complete", reason, message));
    } else {
      String reason = "BackoffLimitExceeded";
      String message = "Job has reached the specified backoff limit";
      status
          .withSucceeded(0)
          .withFailed(1)
          .addToConditions(condition("FailureTarget", reason, message))
          .addToConditions(condition("Failed", reason, message));
    }
    status(admin, namespace, name, status.build());
  }

  private static void status(
      KubernetesClient admin, String namespace, String name, JobStatus status) {
    admin
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(job -> new JobBuilder(job).withStatus(status).build());
  }

  private static io.fabric8.kubernetes.api.model.batch.v1.JobCondition condition(
      String type, String reason, String message) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(now())
        .withLastTransitionTime(now())
        .build();
  }

  private static String now() {
    return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /** The watches of Jobs the API server has open now (its own metric). */
  static int watchesOfJobs(ApiServerFixture api) {
    Matcher matcher = WATCHES.matcher(api.admin().raw(api.url() + "/metrics"));
    int count = 0;
    while (matcher.find()) {
      count += Integer.parseInt(matcher.group(1));
    }
    return count;
  }
}
