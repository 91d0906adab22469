package io.datapass.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import io.datapass.transfer.testing.FakeGcsServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task-runner flow on a real cluster, in a namespace that enforces the "restricted" Pod
 * Security Standard: a payload Job writes its outputs to a volume claim, and a cleanup Job created
 * beside it ({@code cleanup --wait-for-job}) waits for the Job controller to end it, stores the
 * outputs in a GCS server on the node, then deletes the Job and the claim; when the upload fails it
 * deletes nothing. The claims are bound to directories on the node (the local cluster has no
 * storage provisioner), made writable by a pod in a namespace of their own.
 */
@DisplayName("cleanup --wait-for-job on a real cluster (restricted Pod Security)")
class WaitForJobOnClusterIT {
  private static final String SECURITY =
      "securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}";
  private static final String POD_SECURITY =
      "securityContext: {runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, "
          + "seccompProfile: {type: RuntimeDefault}}";
  private static final String NODE_DIRS = "/tmp/datapass-e2e";

  @TempDir static Path serverDir;
  private static TestCluster cluster;
  private static KubernetesClient k8s;
  private static String ns;
  private static String nodeNs;
  private static FakeGcsServer gcs;

  @BeforeAll
  static void namespaceAndStorage() throws Exception {
    cluster = TestCluster.connect();
    k8s = cluster.client();
    ns = "e2e-wait-" + UUID.randomUUID().toString().substring(0, 8);
    nodeNs = ns + "-node";
    k8s.namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .withLabels(Map.of("pod-security.kubernetes.io/enforce", "restricted"))
                .endMetadata()
                .build())
        .create();
    k8s.namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(nodeNs).endMetadata().build())
        .create();
    for (String namespace : new String[] {ns, nodeNs}) {
      k8s.serviceAccounts()
          .inNamespace(namespace)
          .withName("default")
          .waitUntilCondition(sa -> sa != null, 60, TimeUnit.SECONDS);
    }
    apply(
        ns,
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: cleanup}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: cleanup}
        rules:
        - {apiGroups: [batch], resources: [jobs], verbs: [get, watch, delete]}
        - {apiGroups: [""], resources: [persistentvolumeclaims], verbs: [delete]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: cleanup}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cleanup}
        subjects: [{kind: ServiceAccount, name: cleanup}]
        """);
    String nodeIp =
        k8s.nodes().list().getItems().get(0).getStatus().getAddresses().stream()
            .filter(a -> a.getType().equals("InternalIP"))
            .findFirst()
            .orElseThrow()
            .getAddress();
    gcs = FakeGcsServer.start(serverDir, nodeIp);
    gcs.createBucket("results");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (k8s != null) {
      k8s.namespaces().withName(ns).delete();
      k8s.persistentVolumes().withLabel("datapass-e2e", ns).delete();
      onNode("remove-dirs", "rm -rf /host/" + ns);
      k8s.namespaces().withName(nodeNs).delete();
    }
    if (gcs != null) {
      gcs.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void apply(String namespace, String yaml) {
    k8s.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .inNamespace(namespace)
        .create();
  }

  /** Runs {@code script} as root in a pod with the node's {@value #NODE_DIRS} at /host. */
  private static Pod onNode(String name, String script) {
    apply(
        nodeNs,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          restartPolicy: Never
          securityContext: {runAsUser: 0}
          volumes: [{name: host, hostPath: {path: %s, type: DirectoryOrCreate}}]
          containers:
          - name: sh
            image: %s
            imagePullPolicy: IfNotPresent
            command: [sh, -c, '%s']
            volumeMounts: [{name: host, mountPath: /host}]
        """
            .formatted(name, NODE_DIRS, Images.busybox(), script));
    return k8s.pods()
        .inNamespace(nodeNs)
        .withName(name)
        .waitUntilCondition(
            p -> p != null && p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase()),
            2,
            TimeUnit.MINUTES);
  }

  /**
   * A claim {@code NAME-output} bound to a new directory on the node, writable by the pods' user.
   */
  private static void outputClaim(String name) {
    String dir = ns + "/" + name;
    Pod made = onNode("mkdir-" + name, "mkdir -p /host/" + dir + " && chmod 0777 /host/" + dir);
    String node = made.getSpec().getNodeName();
    k8s.load(
            new ByteArrayInputStream(
                """
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: %1$s-%2$s-output, labels: {datapass-e2e: %1$s}}
                spec:
                  capacity: {storage: 1Gi}
                  accessModes: [ReadWriteOnce]
                  persistentVolumeReclaimPolicy: Retain
                  storageClassName: datapass-e2e-wait
                  claimRef: {namespace: %1$s, name: %2$s-output}
                  hostPath: {path: %3$s/%4$s, type: Directory}
                  nodeAffinity:
                    required:
                      nodeSelectorTerms:
                      - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [%5$s]}]
                """
                    .formatted(ns, name, NODE_DIRS, dir, node)
                    .getBytes(StandardCharsets.UTF_8)))
        .create();
    apply(
        ns,
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: %s-output}
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: datapass-e2e-wait
          resources: {requests: {storage: 1Gi}}
        """
            .formatted(name));
  }

  /** The payload's Job: {@code script} runs with its claim at /output. */
  private static void payloadJob(String name, String script) {
    payloadJob(name, name + "-output", script);
  }

  private static void payloadJob(String name, String claim, String script) {
    apply(
        ns,
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: %s}
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              %s
              volumes: [{name: output, persistentVolumeClaim: {claimName: %s}}]
              containers:
              - name: payload
                image: %s
                imagePullPolicy: IfNotPresent
                command: [bash, -c, '%s']
                volumeMounts: [{name: output, mountPath: /output}]
                %s
        """
            .formatted(name, POD_SECURITY, claim, Images.busybox(), script, SECURITY));
  }

  /** The cleanup Job the chart creates beside the payload's: waits, stores, deletes. */
  private static void cleanupJob(String name, String bucket) {
    apply(
        ns,
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: %1$s-cleanup}
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              serviceAccountName: cleanup
              %2$s
              volumes:
              - {name: output, persistentVolumeClaim: {claimName: %1$s-output}}
              - {name: tmp, emptyDir: {}}
              containers:
              - name: cleanup
                image: %3$s
                imagePullPolicy: IfNotPresent
                args: [cleanup, --job, %1$s, --wait-for-job, %1$s, --wait-timeout, "240",
                       --upload-to, "gs://%4$s/outputs/", --gcs-endpoint, "%5$s", --retries, "1",
                       --remove, /output, --delete, job/%1$s, --delete, pvc/%1$s-output]
                volumeMounts: [{name: output, mountPath: /output}, {name: tmp, mountPath: /tmp}]
                %6$s
        """
            .formatted(name, POD_SECURITY, Images.agent(), bucket, gcs.endpoint(), SECURITY));
  }

  /** Until the Job controller has ended the Job: Complete or Failed. */
  private static Job ended(String name) {
    return k8s.batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName(name)
        .waitUntilCondition(
            job ->
                job != null
                    && job.getStatus() != null
                    && job.getStatus().getConditions() != null
                    && job.getStatus().getConditions().stream()
                        .anyMatch(
                            c ->
                                (c.getType().equals("Complete") || c.getType().equals("Failed"))
                                    && c.getStatus().equals("True")),
            4,
            TimeUnit.MINUTES);
  }

  private static String logs(String job) {
    Pod pod = k8s.pods().inNamespace(ns).withLabel("job-name", job).list().getItems().get(0);
    return k8s.pods().inNamespace(ns).withName(pod.getMetadata().getName()).getLog();
  }

  private static Map<String, String> zipEntries(byte[] zip) throws Exception {
    Map<String, String> entries = new TreeMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        byte[] bytes = in.readAllBytes();
        entries.put(
            entry.getName(),
            entry.getName().endsWith(".root")
                ? bytes.length + " bytes"
                : new String(bytes, StandardCharsets.UTF_8));
      }
    }
    return entries;
  }

  private static boolean isGone(String job) {
    return k8s.batch().v1().jobs().inNamespace(ns).withName(job).get() == null;
  }

  /** Whether the claim is gone or going (it stays while a pod object that mounts it exists). */
  private static boolean claimDeleted(String name) {
    var claim = k8s.persistentVolumeClaims().inNamespace(ns).withName(name + "-output").get();
    return claim == null || claim.getMetadata().getDeletionTimestamp() != null;
  }

  private static final String OUTPUTS =
      "echo started > /output/log; sleep 8; mkdir -p /output/hists; echo pt > /output/hists/pt.txt; "
          + "head -c 100000 /dev/zero > /output/events.root; echo finished >> /output/log";

  @Test
  void theCleanupWaitsForThePayloadsJobThenStoresItsOutputsAndDeletesItAndItsClaim()
      throws Exception {
    outputClaim("job-71");
    payloadJob("job-71", OUTPUTS);
    cleanupJob("job-71", "results");

    Job cleanup = ended("job-71-cleanup");

    String log = logs("job-71-cleanup");
    assertThat(cleanup.getStatus().getSucceeded()).as(log).isEqualTo(1);
    assertThat(log)
        .contains(
            "job/job-71 in namespace " + ns + ": active 1, succeeded 0, failed 0",
            "Complete (CompletionsReached)",
            "\"waitedFor\":{\"name\":\"job-71\",\"state\":\"Complete\"",
            "deleted job/job-71",
            "deleted pvc/job-71-output");
    assertThat(log.indexOf("active 1")).isLessThan(log.indexOf("zipped"));
    Blob zip = gcs.storage().get(BlobId.of("results", "outputs/job-71-output.zip"));
    assertThat(zipEntries(zip.getContent()))
        .containsExactly(
            Map.entry("events.root", "100000 bytes"),
            Map.entry("hists/", ""),
            Map.entry("hists/pt.txt", "pt\n"),
            Map.entry("log", "started\nfinished\n"));
    k8s.batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName("job-71")
        .waitUntilCondition(j -> j == null, 60, TimeUnit.SECONDS);
    assertThat(claimDeleted("job-71")).isTrue();
  }

  @Test
  void theOutputsOfAFailedJobAreStoredTooAndTheReportSaysItFailed() throws Exception {
    outputClaim("job-72");
    payloadJob("job-72", OUTPUTS + "; exit 3");
    cleanupJob("job-72", "results");

    Job cleanup = ended("job-72-cleanup");

    String log = logs("job-72-cleanup");
    assertThat(cleanup.getStatus().getSucceeded()).as(log).isEqualTo(1);
    assertThat(log)
        .contains(
            "Failed (BackoffLimitExceeded)",
            "\"waitedFor\":{\"name\":\"job-72\",\"state\":\"Failed\",\"reason\":\"BackoffLimitExceeded\"");
    assertThat(
            zipEntries(
                gcs.storage().get(BlobId.of("results", "outputs/job-72-output.zip")).getContent()))
        .containsEntry("log", "started\nfinished\n");
    assertThat(claimDeleted("job-72")).isTrue();
  }

  @Test
  void anUploadThatFailsDeletesNothing() throws Exception {
    outputClaim("job-73");
    payloadJob("job-73", OUTPUTS);
    cleanupJob("job-73", "no-such-bucket");

    Job cleanup = ended("job-73-cleanup");

    String log = logs("job-73-cleanup");
    assertThat(cleanup.getStatus().getFailed()).as(log).isEqualTo(1);
    assertThat(log).contains("Complete (CompletionsReached)", "nothing was removed");
    assertThat(isGone("job-73")).isFalse();
    assertThat(claimDeleted("job-73")).isFalse();
    payloadJob("job-73-after", "job-73-output", "ls /output | tr \"\\n\" \" \"");
    ended("job-73-after");
    assertThat(logs("job-73-after")).isEqualTo("events.root hists log ");
  }
}
