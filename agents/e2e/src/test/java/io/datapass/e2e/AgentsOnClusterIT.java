package io.datapass.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobId;
import io.datapass.transfer.testing.FakeGcsServer;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The agent image on a real cluster, in a namespace that enforces the "restricted" Pod Security
 * Standard: its roles and their CDS archive, the download role as an init container fetching
 * through a Service beside a native sidecar, the cleanup role uploading a payload's outputs and
 * deleting the job's objects.
 */
@DisplayName("agents on a real cluster (restricted Pod Security)")
class AgentsOnClusterIT {
  private static final String SECURITY =
      "securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}";

  private static TestCluster cluster;
  private static KubernetesClient k8s;
  private static String ns;

  @BeforeAll
  static void namespace() throws Exception {
    cluster = TestCluster.connect();
    k8s = cluster.client();
    ns = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    Namespace namespace =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(ns)
            .withLabels(Map.of("pod-security.kubernetes.io/enforce", "restricted"))
            .endMetadata()
            .build();
    k8s.namespaces().resource(namespace).create();
    k8s.serviceAccounts()
        .inNamespace(ns)
        .withName("default")
        .waitUntilCondition(sa -> sa != null, 60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void cleanUp() {
    if (k8s != null) {
      k8s.namespaces().withName(ns).delete();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void apply(String yaml) {
    k8s.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .inNamespace(ns)
        .create();
  }

  private static String podSecurity() {
    return "securityContext: {runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, "
        + "seccompProfile: {type: RuntimeDefault}}";
  }

  private static Job awaitJob(String name) {
    return k8s.batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName(name)
        .waitUntilCondition(
            job ->
                job != null
                    && job.getStatus() != null
                    && (job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0
                        || job.getStatus().getFailed() != null && job.getStatus().getFailed() > 0),
            4,
            TimeUnit.MINUTES);
  }

  private static Pod podOf(String job) {
    return k8s.pods().inNamespace(ns).withLabel("job-name", job).list().getItems().get(0);
  }

  private static String logs(Pod pod, String container) {
    return k8s.pods()
        .inNamespace(ns)
        .withName(pod.getMetadata().getName())
        .inContainer(container)
        .getLog();
  }

  /**
   * Runs a one-container Job of the agent image to completion; {@code invocation} is its args or
   * command.
   */
  private static Job runAgentJob(String name, String container, String invocation) {
    apply(
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
              containers:
              - name: %s
                image: %s
                imagePullPolicy: IfNotPresent
                %s
                %s
        """
            .formatted(name, podSecurity(), container, Images.agent(), invocation, SECURITY));
    return awaitJob(name);
  }

  private static int exitCode(Pod pod, String container) {
    return k8s
        .pods()
        .inNamespace(ns)
        .withName(pod.getMetadata().getName())
        .get()
        .getStatus()
        .getContainerStatuses()
        .stream()
        .filter(c -> c.getName().equals(container))
        .findFirst()
        .orElseThrow()
        .getState()
        .getTerminated()
        .getExitCode();
  }

  @ParameterizedTest
  @CsvSource({"download, --manifest", "cleanup, --upload-to"})
  void theImageRunsTheRoleNamedByItsFirstArgument(String role, String aFlagOfItsHelp) {
    Job job = runAgentJob("help-" + role, role, "args: [%s, --help]".formatted(role));
    assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(logs(podOf("help-" + role), role)).contains(aFlagOfItsHelp, "Exit codes: 0");
  }

  @Test
  void anUnknownRoleExits2WithTheListOfRoles() {
    Job job = runAgentJob("no-role", "agent", "args: [downloader]");
    assertThat(job.getStatus().getFailed()).isEqualTo(1);
    Pod pod = podOf("no-role");
    assertThat(exitCode(pod, "agent")).isEqualTo(2);
    assertThat(logs(pod, "agent"))
        .contains("unknown role 'downloader'", "download ", "cleanup ", "version ");
  }

  /**
   * The image's one CDS archive holds every role's classes, for its JRE and jars: -Xshare:on fails
   * otherwise.
   */
  @ParameterizedTest
  @CsvSource({"download, downloader", "cleanup, cleanup"})
  void everyRoleLoadsItsClassesFromTheImagesCdsArchive(String role, String rolePackage) {
    String name = "cds-" + role;
    Job job =
        runAgentJob(
            name,
            role,
            """
        command: [/opt/jre/bin/java, "@/opt/app/jvm.options", -Xshare:on, -XX:SharedArchiveFile=/opt/app/agent.jsa, \
        "-Xlog:class+load=info:stdout", -jar, /opt/app/agent.jar, %s, --help]"""
                .formatted(role));
    assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(logs(podOf(name), role))
        .contains("io.datapass.agent.Main source: shared objects file")
        .contains("io.datapass." + rolePackage + ".Main source: shared objects file")
        .contains("Exit codes: 0");
  }

  /**
   * The cleanup role after a payload (here an init container writing /output): zips the outputs and
   * uploads them, verified, to a GCS server on the node, with the manifest beside them.
   */
  @Test
  void cleanupRoleUploadsAJobsOutputsToGcs(@TempDir Path serverDir) throws Exception {
    String nodeIp =
        k8s.nodes().list().getItems().get(0).getStatus().getAddresses().stream()
            .filter(a -> a.getType().equals("InternalIP"))
            .findFirst()
            .orElseThrow()
            .getAddress();
    try (FakeGcsServer gcs = FakeGcsServer.start(serverDir, nodeIp)) {
      gcs.createBucket("results");
      apply(
          """
          apiVersion: batch/v1
          kind: Job
          metadata: {name: outputs}
          spec:
            backoffLimit: 0
            template:
              spec:
                restartPolicy: Never
                %s
                volumes:
                - {name: output, emptyDir: {}}
                - {name: tmp, emptyDir: {}}
                initContainers:
                - name: payload
                  image: %s
                  imagePullPolicy: IfNotPresent
                  command: [sh, -c, 'mkdir -p /output/hists && echo "pt histogram" > /output/hists/pt.txt && head -c 100000 /dev/zero > /output/events.root']
                  volumeMounts: [{name: output, mountPath: /output}]
                  %s
                containers:
                - name: cleanup
                  image: %s
                  imagePullPolicy: IfNotPresent
                  args: [cleanup, --upload-to, "gs://results/outputs/", --remove, /output]
                  env:
                  - {name: DATAPASS_JOB, value: e2e-job}
                  - {name: STORAGE_EMULATOR_HOST, value: "%s"}
                  volumeMounts:
                  - {name: output, mountPath: /output}
                  - {name: tmp, mountPath: /tmp}
                  %s
          """
              .formatted(
                  podSecurity(),
                  Images.busybox(),
                  SECURITY,
                  Images.agent(),
                  gcs.endpoint(),
                  SECURITY));
      Job job = awaitJob("outputs");
      String log = logs(podOf("outputs"), "cleanup");
      assertThat(job.getStatus().getSucceeded()).as(log).isEqualTo(1);
      Map<String, Long> entries = new java.util.TreeMap<>();
      byte[] zip =
          gcs.storage().get(BlobId.of("results", "outputs/e2e-job-output.zip")).getContent();
      try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
        for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
          entries.put(entry.getName(), (long) in.readAllBytes().length);
        }
      }
      assertThat(entries)
          .containsExactly(
              Map.entry("events.root", 100_000L),
              Map.entry("hists/", 0L),
              Map.entry("hists/pt.txt", 13L));
      assertThat(gcs.storage().get(BlobId.of("results", "outputs/e2e-job-output.manifest.json")))
          .isNotNull();
      assertThat(log).contains("zipped 2 files", "removed what was inside /output");
    }
  }

  /**
   * The cleanup role as the seeds' task runner uses it: after the job, it stores the outputs, then
   * deletes the job's Job and input claim through the API server, as a service account allowed to
   * do only that.
   */
  @Test
  void cleanupRoleDeletesTheJobsObjectsAfterStoringItsOutputs() throws Exception {
    apply(
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: cleanup}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: cleanup}
        rules:
        - {apiGroups: [batch], resources: [jobs], verbs: [delete]}
        - {apiGroups: [""], resources: [persistentvolumeclaims], verbs: [delete]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: cleanup}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cleanup}
        subjects: [{kind: ServiceAccount, name: cleanup}]
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: job-9-input}
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: datapass-e2e-none
          resources: {requests: {storage: 1Mi}}
        """);
    Job done = runAgentJob("job-9", "download", "args: [download, --help]");
    assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
    apply(
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: job-9-cleanup}
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              serviceAccountName: cleanup
              %s
              volumes:
              - {name: output, emptyDir: {}}
              - {name: results, emptyDir: {}}
              - {name: tmp, emptyDir: {}}
              initContainers:
              - name: payload
                image: %s
                imagePullPolicy: IfNotPresent
                command: [sh, -c, 'echo result > /output/result.txt']
                volumeMounts: [{name: output, mountPath: /output}]
                %s
              containers:
              - name: cleanup
                image: %s
                imagePullPolicy: IfNotPresent
                args: [cleanup, --job, job-9, --upload-to, /results/, --delete, job/job-9, --delete, pvc/job-9-input]
                volumeMounts:
                - {name: output, mountPath: /output}
                - {name: results, mountPath: /results}
                - {name: tmp, mountPath: /tmp}
                %s
        """
            .formatted(podSecurity(), Images.busybox(), SECURITY, Images.agent(), SECURITY));
    Job cleanup = awaitJob("job-9-cleanup");
    String log = logs(podOf("job-9-cleanup"), "cleanup");
    assertThat(cleanup.getStatus().getSucceeded()).as(log).isEqualTo(1);
    assertThat(log).contains("deleted job/job-9", "deleted pvc/job-9-input");
    k8s.batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName("job-9")
        .waitUntilCondition(j -> j == null, 60, TimeUnit.SECONDS);
    k8s.persistentVolumeClaims()
        .inNamespace(ns)
        .withName("job-9-input")
        .waitUntilCondition(c -> c == null, 60, TimeUnit.SECONDS);
  }

  @Test
  void downloaderInitContainerFetchesThroughAServiceBesideANativeSidecar() throws Exception {
    apply(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec:
          %s
          containers:
          - name: httpd
            image: %s
            imagePullPolicy: IfNotPresent
            command: [httpd, -f, -p, "8080", -h, /www]
            readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
            %s
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]
        """
            .formatted(podSecurity(), Images.busybox(), SECURITY));
    String serviceIp =
        k8s.services().inNamespace(ns).withName("web").get().getSpec().getClusterIP();
    k8s.pods().inNamespace(ns).withName("web").waitUntilReady(2, TimeUnit.MINUTES);
    String expected = "hello from datapass/busybox\n";
    String sha256 =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(expected.getBytes(StandardCharsets.UTF_8)));
    apply(
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: inputs}
        data:
          manifest.yaml: |
            inputs:
              - source: http://%s/index.html
                target: web/index.html
                checksum: sha256:%s
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: fetch}
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              %s
              volumes:
              - {name: workdir, emptyDir: {}}
              - {name: tmp, emptyDir: {}}
              - {name: manifest, configMap: {name: inputs}}
              initContainers:
              - name: sidecar
                restartPolicy: Always
                image: %s
                imagePullPolicy: IfNotPresent
                command: [sh, -c, 'trap "exit 0" TERM; until [ -f /workdir/done ]; do sleep 1; done; echo saw done; sleep 3600']
                volumeMounts: [{name: workdir, mountPath: /workdir}]
                %s
              - name: downloader
                image: %s
                imagePullPolicy: IfNotPresent
                args: [download, --manifest, /config/manifest.yaml, --dest, /workdir/input, --ready-file, /workdir/ready]
                volumeMounts:
                - {name: workdir, mountPath: /workdir}
                - {name: tmp, mountPath: /tmp}
                - {name: manifest, mountPath: /config}
                %s
              containers:
              - name: payload
                image: %s
                imagePullPolicy: IfNotPresent
                command: [bash, -lc, 'test -f /workdir/ready && cat /workdir/input/web/index.html && echo 0 > /workdir/done']
                volumeMounts: [{name: workdir, mountPath: /workdir}]
                %s
        """
            .formatted(
                serviceIp,
                sha256,
                podSecurity(),
                Images.busybox(),
                SECURITY,
                Images.agent(),
                SECURITY,
                Images.busybox(),
                SECURITY));
    Job job = awaitJob("fetch");
    Pod pod = podOf("fetch");
    assertThat(job.getStatus().getSucceeded()).as(logs(pod, "downloader")).isEqualTo(1);
    assertThat(logs(pod, "payload")).isEqualTo(expected);
    assertThat(logs(pod, "downloader")).contains("\"status\":\"ok\"", "sha256:" + sha256);
  }
}
