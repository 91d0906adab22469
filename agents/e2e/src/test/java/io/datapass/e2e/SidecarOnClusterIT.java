package io.datapass.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import io.datapass.transfer.testing.FakeGcsServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The sidecar role as a native sidecar on a real cluster, in a namespace that enforces the
 * "restricted" Pod Security Standard: first in {@code initContainers}, its startup probe holding
 * the payload until the inputs it downloaded are verified, the wrapper from {@code sidecar
 * --print-wrapper} in a ConfigMap around a bash payload, outputs stored in a GCS server on the
 * node, and the states in its pod's annotations, as a service account allowed only what the README
 * lists. The kubelet, not a test, stops the sidecar and posts the payload container's status.
 */
@DisplayName("the sidecar on a real cluster (restricted Pod Security)")
class SidecarOnClusterIT {
  private static final String SECURITY =
      "securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}";
  private static final String POD_SECURITY =
      "securityContext: {runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, "
          + "seccompProfile: {type: RuntimeDefault}}";
  private static final String BUCKET = "results";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestCluster cluster;
  private static KubernetesClient k8s;
  private static String ns;
  private static Path serverDir;
  private static FakeGcsServer gcs;

  @BeforeAll
  static void namespaceAccountWrapperAndStorage() throws Exception {
    cluster = TestCluster.connect();
    k8s = cluster.client();
    ns = "e2e-sidecar-" + UUID.randomUUID().toString().substring(0, 8);
    k8s.namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .withLabels(Map.of("pod-security.kubernetes.io/enforce", "restricted"))
                .endMetadata()
                .build())
        .create();
    k8s.serviceAccounts()
        .inNamespace(ns)
        .withName("default")
        .waitUntilCondition(sa -> sa != null, 60, TimeUnit.SECONDS);
    apply(
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: sidecar}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: sidecar}
        rules:
        - {apiGroups: [""], resources: [pods], verbs: [get, patch, watch]}
        - {apiGroups: [""], resources: [events], verbs: [create]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: sidecar}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: sidecar}
        subjects: [{kind: ServiceAccount, name: sidecar}]
        """);
    k8s.configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("datapass-wrapper")
                .endMetadata()
                .addToData("datapass-wrapper.sh", printedWrapper())
                .build())
        .create();
    serverDir = Files.createTempDirectory("e2e-sidecar-gcs-");
    gcs = FakeGcsServer.start(serverDir, nodeIp());
    gcs.createBucket(BUCKET);
    // every payload waits for its inputs (the startup probe): these have one
    gcs.put(BUCKET, "inputs/calibration.txt", "gain 1.02\n".getBytes(StandardCharsets.UTF_8));
    apply(
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: calibration}
        data:
          manifest.yaml: |
            inputs: [{source: "gs://%s/inputs/calibration.txt"}]
        """
            .formatted(BUCKET));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (k8s != null) {
      k8s.namespaces().withName(ns).delete();
    }
    if (gcs != null) {
      gcs.close();
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

  private static String nodeIp() {
    return k8s.nodes().list().getItems().get(0).getStatus().getAddresses().stream()
        .filter(a -> a.getType().equals("InternalIP"))
        .findFirst()
        .orElseThrow()
        .getAddress();
  }

  /** The wrapper as the image prints it ({@code sidecar --print-wrapper}), for the ConfigMap. */
  private static String printedWrapper() {
    apply(
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: print-wrapper}
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              %s
              containers:
              - name: sidecar
                image: %s
                imagePullPolicy: IfNotPresent
                args: [sidecar, --print-wrapper]
                %s
        """
            .formatted(POD_SECURITY, Images.agent(), SECURITY));
    Job job = awaitJob("print-wrapper");
    String script = log(podOf("print-wrapper"), "sidecar");
    assertThat(job.getStatus().getSucceeded()).as(script).isEqualTo(1);
    assertThat(script).startsWith("#!/usr/bin/env bash\n# datapass payload wrapper");
    return script;
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

  private static String log(Pod pod, String container) {
    return k8s.pods()
        .inNamespace(ns)
        .withName(pod.getMetadata().getName())
        .inContainer(container)
        .getLog();
  }

  /**
   * A Job whose pod has the sidecar first in initContainers, downloading the inputs {@code
   * manifest} (a ConfigMap) lists, and the payload, {@code bash -lc script} under the wrapper;
   * returns its pod once the Job is over and the kubelet has stopped the sidecar too.
   *
   * @param extra more YAML of the payload container (resources)
   */
  private static Pod runPod(String name, String manifest, String script, String extra) {
    apply(
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: %1$s}
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              serviceAccountName: sidecar
              terminationGracePeriodSeconds: 30
              %2$s
              volumes:
              - {name: workdir, emptyDir: {}}
              - {name: tmp, emptyDir: {}}
              - {name: wrapper, configMap: {name: datapass-wrapper}}
              - {name: manifest, configMap: {name: %3$s}}
              initContainers:
              - name: sidecar
                restartPolicy: Always
                image: %4$s
                imagePullPolicy: IfNotPresent
                args: [sidecar, --report-to-pod, --manifest, /config/manifest.yaml, --upload-to, "gs://%5$s/outputs/", --grace-seconds, "20"]
                env:
                - {name: DATAPASS_JOB, value: %1$s}
                - {name: STORAGE_EMULATOR_HOST, value: "%6$s"}
                - name: POD_NAME
                  valueFrom: {fieldRef: {fieldPath: metadata.name}}
                startupProbe: {httpGet: {path: /startup, port: 8686}, periodSeconds: 1, failureThreshold: 240}
                volumeMounts:
                - {name: workdir, mountPath: /workdir}
                - {name: tmp, mountPath: /tmp}
                - {name: manifest, mountPath: /config}
                %7$s
              containers:
              - name: payload
                image: %8$s
                imagePullPolicy: IfNotPresent
                command: [bash, /datapass/datapass-wrapper.sh, bash, -lc, '%9$s']
                volumeMounts:
                - {name: workdir, mountPath: /workdir}
                - {name: wrapper, mountPath: /datapass}
                %10$s
                %7$s
        """
            .formatted(
                name,
                POD_SECURITY,
                manifest,
                Images.agent(),
                BUCKET,
                gcs.endpoint(),
                SECURITY,
                Images.busybox(),
                script,
                extra));
    awaitJob(name);
    // the Job is over when the payload is; the pod, when the kubelet has stopped the sidecar too
    return k8s.pods()
        .inNamespace(ns)
        .withName(podOf(name).getMetadata().getName())
        .waitUntilCondition(
            p ->
                p.getStatus().getPhase().equals("Succeeded")
                    || p.getStatus().getPhase().equals("Failed"),
            2,
            TimeUnit.MINUTES);
  }

  private static List<JsonNode> history(Pod pod) throws Exception {
    List<JsonNode> entries = new ArrayList<>();
    JSON.readTree(pod.getMetadata().getAnnotations().get("datapass.io/state-history"))
        .forEach(entries::add);
    return entries;
  }

  private static List<String> states(Pod pod) throws Exception {
    return history(pod).stream().map(e -> e.get("state").asText()).toList();
  }

  private static String finalDetail(Pod pod) throws Exception {
    List<JsonNode> entries = history(pod);
    return entries.get(entries.size() - 1).get("detail").asText();
  }

  private static String stored(String job, String path) {
    Blob blob = gcs.storage().get(BlobId.of(BUCKET, "outputs/" + job + "/" + path));
    assertThat(blob).as("gs://%s/outputs/%s/%s", BUCKET, job, path).isNotNull();
    return new String(blob.getContent(), StandardCharsets.UTF_8);
  }

  private static String describe(Pod pod) {
    return "annotations "
        + pod.getMetadata().getAnnotations()
        + "\nsidecar log:\n"
        + log(pod, "sidecar")
        + "\npayload log:\n"
        + log(pod, "payload");
  }

  @Test
  void aPayloadWhoseInputsTheSidecarFetchedReachesDoneWithItsOutputsInGcs() throws Exception {
    String input = "muon pt spectrum, run 42\n".repeat(1000);
    gcs.put(BUCKET, "inputs/run42.txt", input.getBytes(StandardCharsets.UTF_8));
    String sha256 =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(input.getBytes(StandardCharsets.UTF_8)));
    apply(
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: kpipe-inputs}
        data:
          manifest.yaml: |
            inputs:
              - source: gs://%s/inputs/run42.txt
                target: data/run42.txt
                checksum: sha256:%s
        """
            .formatted(BUCKET, sha256));
    // The payload refuses to run on anything but the verified inputs: the probe must hold it.
    String script =
        "test -f /workdir/ready || exit 9; "
            + "echo %s\\ \\ /workdir/input/data/run42.txt | sha256sum -c - || exit 8; "
                .formatted(sha256)
            + "echo FITTING > /workdir/state; sleep 1; "
            + "mkdir -p /workdir/output/hists; wc -l < /workdir/input/data/run42.txt > /workdir/output/hists/lines.txt; "
            + "echo fitted";

    Pod pod = runPod("kpipe", "kpipe-inputs", script, "");

    assertThat(pod.getStatus().getPhase()).as(describe(pod)).isEqualTo("Succeeded");
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("datapass.io/state", "DONE");
    assertThat(states(pod))
        .containsExactly("INITIALIZING", "STARTED", "RUNNING", "FITTING", "TERMINATING", "DONE");
    assertThat(history(pod).get(0).get("detail").asText())
        .isEqualTo("downloading the inputs of /config/manifest.yaml");
    assertThat(finalDetail(pod))
        .startsWith(
            "payload exited with code 0; 3 outputs stored under gs://results/outputs/kpipe/");
    assertThat(stored("kpipe", "hists/lines.txt")).isEqualTo("1000\n");
    assertThat(stored("kpipe", "log")).contains("/workdir/input/data/run42.txt: OK", "fitted");
    assertThat(log(pod, "sidecar")).contains("\"status\":\"ok\"", "\"state\":\"DONE\"");
  }

  /**
   * The payload outgrows its memory limit. On cgroup v1 (this machine) the kernel kills the largest
   * process and the wrapper writes done 137; on cgroup v2 the whole container goes and done is
   * never written. Either way the pod's status says OOMKilled, and the sidecar reports it.
   */
  @Test
  void aPayloadOverItsMemoryLimitIsReportedKilledOomKilledWithItsOutputsStored() throws Exception {
    String script =
        "echo partial > /workdir/output/part.txt; echo before the hog; "
            + "hog=$(head -c 400000000 /dev/zero | tr \"\\\\0\" x); echo never ${#hog}";

    Pod pod =
        runPod(
            "oom",
            "calibration",
            script,
            "resources: {limits: {memory: 48Mi}, requests: {memory: 48Mi}}");

    assertThat(pod.getMetadata().getAnnotations())
        .as(describe(pod))
        .containsEntry("datapass.io/state", "KILLED");
    assertThat(states(pod)).endsWith("RUNNING", "TERMINATING", "KILLED");
    assertThat(finalDetail(pod))
        .startsWith("OOMKilled (exit 137); ")
        .contains("outputs stored under gs://results/outputs/oom/");
    assertThat(stored("oom", "part.txt")).isEqualTo("partial\n");
    assertThat(stored("oom", "log")).isEqualTo("before the hog\n");
    List<Event> events =
        k8s.v1().events().inNamespace(ns).list().getItems().stream()
            .filter(e -> e.getInvolvedObject().getName().equals(pod.getMetadata().getName()))
            .filter(e -> "KILLED".equals(e.getReason()))
            .toList();
    assertThat(events).singleElement().extracting(Event::getType).isEqualTo("Warning");
  }

  @Test
  void aPayloadExitingWithThreeIsAnErrorWithItsLogAndErrorStored() throws Exception {
    String script =
        "echo to stdout; echo to stderr >&2; echo 42 > /workdir/output/result.txt; exit 3";

    Pod pod = runPod("exit3", "calibration", script, "");

    assertThat(pod.getMetadata().getAnnotations())
        .as(describe(pod))
        .containsEntry("datapass.io/state", "ERROR");
    assertThat(states(pod))
        .containsExactly("INITIALIZING", "STARTED", "RUNNING", "TERMINATING", "ERROR");
    assertThat(finalDetail(pod))
        .startsWith(
            "payload exited with code 3; 3 outputs stored under gs://results/outputs/exit3/");
    assertThat(stored("exit3", "result.txt")).isEqualTo("42\n");
    assertThat(stored("exit3", "log")).isEqualTo("to stdout\n");
    assertThat(stored("exit3", "error")).isEqualTo("to stderr\n");
    assertThat(
            pod.getStatus().getContainerStatuses().stream()
                .filter(c -> c.getName().equals("payload"))
                .findFirst()
                .orElseThrow()
                .getState()
                .getTerminated()
                .getExitCode())
        .isEqualTo(3);
  }
}
