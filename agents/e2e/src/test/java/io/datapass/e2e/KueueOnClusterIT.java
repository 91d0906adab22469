package io.datapass.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kueue queueing batch-job submissions on a real cluster: Kueue v0.17 built from its module and
 * started by {@code ci/cluster kueue up}, the chart installed by the real Helm engine (helm-java)
 * with {@code kueue.queueName}. The ClusterQueue's cpu quota fits one submission, so the second of
 * two waits suspended, its Workload not admitted, until the first has completed; then it runs.
 */
@DisplayName("batch-job submissions queued by Kueue on a real cluster")
class KueueOnClusterIT {
  /** Sidecar 100m + payload 300m per submission: two do not fit in 600m. */
  private static final String CPU_QUOTA = "600m";

  /** charts/batch-job; Maven runs the tests in agents/e2e. */
  private static final Path CHART = Path.of("../../charts/batch-job").toAbsolutePath().normalize();

  @TempDir static Path dir;
  private static TestCluster cluster;
  private static KubernetesClient k8s;
  private static Kueue kueue;
  private static String ns;

  @BeforeAll
  static void queues() throws Exception {
    cluster = TestCluster.connect();
    k8s = cluster.client();
    kueue = new Kueue(k8s);
    kueue.requireInstalled();
    ns = "e2e-kueue-" + UUID.randomUUID().toString().substring(0, 8);
    k8s.namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .withLabels(Map.of("pod-security.kubernetes.io/enforce", "restricted"))
                .endMetadata()
                .build())
        .create();
    kueue.create(
        """
        apiVersion: kueue.x-k8s.io/v1beta2
        kind: ResourceFlavor
        metadata: {name: %1$s}
        ---
        apiVersion: kueue.x-k8s.io/v1beta2
        kind: ClusterQueue
        metadata: {name: %1$s}
        spec:
          namespaceSelector:
            matchLabels: {kubernetes.io/metadata.name: %1$s}
          resourceGroups:
          - coveredResources: [cpu, memory]
            flavors:
            - name: %1$s
              resources:
              - {name: cpu, nominalQuota: %2$s}
              - {name: memory, nominalQuota: 2Gi}
        ---
        apiVersion: kueue.x-k8s.io/v1beta2
        kind: LocalQueue
        metadata: {name: physics, namespace: %1$s}
        spec: {clusterQueue: %1$s}
        """
            .formatted(ns, CPU_QUOTA));
    kueue.waitActive("ClusterQueue", null, ns);
    kueue.waitActive("LocalQueue", ns, "physics");
  }

  @AfterAll
  static void cleanUp() {
    if (k8s != null) {
      k8s.namespaces().withName(ns).delete();
      k8s.namespaces().withName(ns).waitUntilCondition(n -> n == null, 2, TimeUnit.MINUTES);
      kueue.delete("ClusterQueue", ns);
      kueue.delete("ResourceFlavor", ns);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** {@code helm install} of charts/batch-job: a payload that sleeps, queued in "physics". */
  private static void submit(String release, int seconds) throws Exception {
    Path values = dir.resolve(release + ".yaml");
    Files.writeString(
        values,
        """
        submission: {experiment: kueue-e2e}
        agentImage: {tag: "%s"}
        payload:
          image: %s
          command: echo started %s; sleep %d
          resources: {requests: {cpu: 300m, memory: 64Mi}, limits: {memory: 64Mi}}
        sidecar: {uploadOutputs: false}
        kueue: {queueName: physics}
        """
            .formatted(
                Images.agent().substring(Images.agent().indexOf(':') + 1),
                Images.busybox(),
                release,
                seconds));
    new Helm(CHART)
        .install()
        .withName(release)
        .withNamespace(ns)
        .withValuesFile(values)
        .withKubeConfig(Path.of(System.getenv("KUBECONFIG")))
        .call();
  }

  private static Job job(String name) {
    return k8s.batch().v1().jobs().inNamespace(ns).withName(name).get();
  }

  private static Job completed(String name) {
    return k8s.batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName(name)
        .waitUntilCondition(j -> isComplete(j), 4, TimeUnit.MINUTES);
  }

  private static boolean isComplete(Job job) {
    return job != null
        && job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Complete") && c.getStatus().equals("True"));
  }

  private static String payloadLog(String job) {
    String pod =
        k8s.pods().inNamespace(ns).withLabel("job-name", job).list().getItems().stream()
            .filter(p -> "Succeeded".equals(p.getStatus().getPhase()))
            .findFirst()
            .orElseThrow()
            .getMetadata()
            .getName();
    return k8s.pods().inNamespace(ns).withName(pod).inContainer("payload").getLog();
  }

  @Test
  void theSecondSubmissionWaitsSuspendedWhileTheFirstUsesTheQuotaThenRuns() throws Exception {
    submit("first", 25);
    kueue.admittedWorkloadOf(ns, "first");
    submit("second", 2);

    GenericKubernetesResource waiting = kueue.pendingWorkloadOf(ns, "second");
    assertThat(Kueue.condition(waiting, "QuotaReserved").get("message"))
        .asString()
        .contains("insufficient unused quota for cpu");
    assertThat(Kueue.condition(waiting, "Admitted")).isEmpty();
    assertThat(job("second").getSpec().getSuspend()).as("second suspended").isTrue();
    assertThat(k8s.pods().inNamespace(ns).withLabel("job-name", "second").list().getItems())
        .isEmpty();
    // all of the above was seen while the first still ran
    Job firstNow = job("first");
    assertThat(firstNow.getSpec().getSuspend()).isFalse();
    assertThat(isComplete(firstNow)).as("first still running").isFalse();

    Instant firstDone = Instant.parse(completed("first").getStatus().getCompletionTime());
    kueue.admittedWorkloadOf(ns, "second");
    Job second = completed("second");
    assertThat(second.getSpec().getSuspend()).isFalse();
    assertThat(Instant.parse(second.getStatus().getStartTime())).isAfterOrEqualTo(firstDone);
    assertThat(payloadLog("second")).contains("started second");
  }
}
