package io.datapass.charts;

import static io.datapass.charts.Rendered.list;
import static io.datapass.charts.Rendered.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("batch-job: the pod")
class PodTest {

  @Test
  void eachIndexOfAnIndexedJobHasADirectoryOfItsOwnOnTheInputAndOutputClaims() {
    Rendered indexed = Helm.batchJob("job-42", Values.everything("x"));
    for (String container : List.of("sidecar", "download", "payload")) {
      for (String path : List.of("/workdir/input", "/workdir/output")) {
        if (container.equals("download") && path.endsWith("output")) {
          continue;
        }
        assertThat(mount(indexed.container(container), path).path("subPathExpr").asText())
            .as("%s %s", container, path)
            .isEqualTo("$(JOB_COMPLETION_INDEX)");
      }
    }
    // one task, or volumes of the pod's own: nothing shared, nothing to separate
    Rendered single =
        Helm.batchJob(
            "job-42",
            Values.minimal().with("input.volume", "claim").with("output.volume", "claim"));
    Rendered emptyDirs = Helm.batchJob("job-42", Values.minimal().withTasks(3));
    for (Rendered rendered : List.of(single, emptyDirs)) {
      assertThat(mount(rendered.container("payload"), "/workdir/output").has("subPathExpr"))
          .isFalse();
    }
  }

  @Test
  void twoVolumesAtOnePathAreRefusedNamingTheContainerTheVolumesAndThePath() {
    assertThat(
            Helm.batchJobRefusal(
                "job-42",
                Values.minimal()
                    .with("claims.data", Map.of("claimName", "x", "mountPath", "/workdir/"))))
        .contains("container payload: volumes workdir and claim-data both mount at /workdir");
    assertThat(Helm.batchJobRefusal("job-42", Values.minimal().with("input.alsoMountAt", "/tmp")))
        .contains("container payload: volumes tmp and input both mount at /tmp");
    assertThat(
            Helm.batchJobRefusal(
                "job-42",
                Values.minimal()
                    .with(
                        "claims.data",
                        Map.of("claimName", "x", "mountPath", "/workdir", "agents", true))))
        .contains("container sidecar: volumes workdir and claim-data both mount at /workdir");
  }

  @Test
  void theSidecarComesFirstAsANativeSidecarThenTheDownloadThenThePayload() {
    Rendered rendered = Helm.batchJob("job-42", Values.minimal());

    assertThat(rendered.initContainers())
        .extracting(c -> c.path("name").asText())
        .containsExactly("sidecar", "download");
    JsonNode sidecar = rendered.initContainers().get(0);
    assertThat(sidecar.path("restartPolicy").asText()).isEqualTo("Always");
    assertThat(strings(sidecar.path("args")).get(0)).isEqualTo("sidecar");
    assertThat(sidecar.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8686);
    // the download starts only once this probe passed, and writes the ready file /startup waits for
    assertThat(sidecar.path("startupProbe").path("tcpSocket").path("port").asText())
        .isEqualTo("probes");
    JsonNode download = rendered.initContainers().get(1);
    assertThat(download.has("restartPolicy")).isFalse();
    assertThat(strings(download.path("args")))
        .containsSubsequence(
            "download",
            "--manifest",
            "/etc/datapass/inputs/manifest.yaml",
            "--dest",
            "/workdir/input");
    assertThat(rendered.containers())
        .extracting(c -> c.path("name").asText())
        .containsExactly("payload");
  }

  @Test
  void theSidecarDownloadsItselfKPipeStyleAndItsStartupProbeHoldsThePayloadBack() {
    Rendered rendered = Helm.batchJob("kpipe", Values.minimal().with("download.by", "sidecar"));

    assertThat(rendered.initContainers())
        .extracting(c -> c.path("name").asText())
        .containsExactly("sidecar");
    JsonNode sidecar = rendered.container("sidecar");
    assertThat(strings(sidecar.path("args")))
        .containsSubsequence("--manifest", "/etc/datapass/inputs/manifest.yaml");
    assertThat(sidecar.path("startupProbe").path("httpGet").path("path").asText())
        .isEqualTo("/startup");
    assertThat(sidecar.path("startupProbe").path("failureThreshold").asInt()).isEqualTo(1800);
    assertThat(mountPaths(sidecar)).contains("/etc/datapass/inputs", "/workdir/input");
    assertThat(list(rendered.job().path("spec").path("podFailurePolicy").path("rules")))
        .extracting(r -> r.path("onExitCodes").path("containerName").asText())
        .doesNotContain("download");
  }

  @Test
  void thePayloadRunsItsCommandThroughTheMountedWrapperAsALoginShell() {
    Rendered rendered = Helm.batchJob("job-42", Values.minimal());
    JsonNode payload = rendered.container("payload");

    assertThat(strings(payload.path("command")))
        .containsExactly(
            "bash",
            "/datapass/datapass-wrapper.sh",
            "bash",
            "-lc",
            "analyse /workdir/input /workdir/output");
    assertThat(mountPaths(payload))
        .contains("/datapass", "/workdir", "/workdir/input", "/workdir/output");
    JsonNode wrapper = rendered.one("ConfigMap", "job-42-wrapper");
    assertThat(wrapper.path("data").path("datapass-wrapper.sh").asText())
        .startsWith("#!/usr/bin/env bash");
  }

  @Test
  void theLivenessOfThePayloadIsTheSidecarsHealthzProbedFromThePayloadContainer() {
    Rendered without = Helm.batchJob("job-42", Values.minimal());
    assertThat(without.container("payload").has("livenessProbe")).isFalse();

    Rendered with =
        Helm.batchJob(
            "job-42",
            Values.minimal()
                .with("sidecar.healthyDeadlineSeconds", 120)
                .with("payload.healthyIntervalSeconds", 30));
    JsonNode payload = with.container("payload");
    assertThat(payload.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthz");
    assertThat(payload.path("livenessProbe").path("httpGet").path("port").asInt()).isEqualTo(8686);
    assertThat(with.container("sidecar").has("livenessProbe")).isFalse();
    assertThat(strings(with.container("sidecar").path("args")))
        .containsSubsequence("--healthy-deadline", "120");
    assertThat(env(payload)).containsEntry("DATAPASS_HEALTHY_INTERVAL", "30");
  }

  @Test
  void volumesAreEmptyDirsByDefaultAndTheSidecarAloneMountsItsStateAndAToken() {
    Rendered rendered = Helm.batchJob("job-42", Values.minimal());

    assertThat(volume(rendered, "workdir").has("emptyDir")).isTrue();
    assertThat(volume(rendered, "input").has("emptyDir")).isTrue();
    assertThat(volume(rendered, "output").has("emptyDir")).isTrue();
    assertThat(mountPaths(rendered.container("sidecar")))
        .contains("/var/lib/datapass", "/var/run/secrets/kubernetes.io/serviceaccount");
    for (String other : List.of("download", "payload")) {
      assertThat(mountPaths(rendered.container(other)))
          .doesNotContain("/var/lib/datapass", "/var/run/secrets/kubernetes.io/serviceaccount");
    }
    assertThat(rendered.pod().path("automountServiceAccountToken").asBoolean()).isFalse();
  }

  @Test
  void perReleaseClaimsHoldTheInputsAndOutputsAndThePayloadSeesThemWhereItExpects() {
    Rendered rendered =
        Helm.batchJob(
            "job-42",
            Values.minimal()
                .with("input.volume", "claim")
                .with("input.size", "50Gi")
                .with("input.storageClass", "fast")
                .with("input.alsoMountAt", "/input")
                .with("output.volume", "claim")
                .with("output.storageClass", "-")
                .with("output.alsoMountAt", "/output"));

    JsonNode input = rendered.one("PersistentVolumeClaim", "job-42-input").path("spec");
    assertThat(input.path("resources").path("requests").path("storage").asText()).isEqualTo("50Gi");
    assertThat(input.path("storageClassName").asText()).isEqualTo("fast");
    JsonNode output = rendered.one("PersistentVolumeClaim", "job-42-output").path("spec");
    assertThat(output.has("storageClassName")).isTrue();
    assertThat(output.path("storageClassName").asText()).isEmpty();
    assertThat(volume(rendered, "input").path("persistentVolumeClaim").path("claimName").asText())
        .isEqualTo("job-42-input");
    assertThat(mountPaths(rendered.container("payload")))
        .contains("/workdir/input", "/input", "/workdir/output", "/output");
  }

  @Test
  void existingClaimsAreMountedWhereAskedReadOnlyOrNotAndInTheAgentsOnlyWhenAsked() {
    Rendered rendered =
        Helm.batchJob(
            "caf",
            Values.minimal()
                .with(
                    "claims.ntuples",
                    Map.of("claimName", "ntuples-claim", "mountPath", "/ntuples", "readOnly", true))
                .with(
                    "claims.results",
                    Map.of("claimName", "results", "mountPath", "/results", "agents", true)));

    JsonNode ntuples = mount(rendered.container("payload"), "/ntuples");
    assertThat(ntuples.path("name").asText()).isEqualTo("claim-ntuples");
    assertThat(ntuples.path("readOnly").asBoolean()).isTrue();
    assertThat(
            volume(rendered, "claim-ntuples")
                .path("persistentVolumeClaim")
                .path("claimName")
                .asText())
        .isEqualTo("ntuples-claim");
    assertThat(mount(rendered.container("payload"), "/results").path("readOnly").asBoolean())
        .isFalse();
    assertThat(mountPaths(rendered.container("sidecar")))
        .contains("/results")
        .doesNotContain("/ntuples");
    assertThat(mountPaths(rendered.container("download")))
        .contains("/results")
        .doesNotContain("/ntuples");
  }

  @Test
  void registrySecretsAreReferencedByNameOrCreatedFromValues() {
    Rendered byName =
        Helm.batchJob(
            "caf",
            Values.minimal().with("imagePullSecrets.names", List.of("sh-k8s-registry-secret")));
    assertThat(list(byName.pod().path("imagePullSecrets")))
        .extracting(s -> s.path("name").asText())
        .containsExactly("sh-k8s-registry-secret");
    assertThat(byName.ofKind("Secret")).isEmpty();

    Rendered created =
        Helm.batchJob(
            "caf",
            Values.minimal()
                .with("imagePullSecrets.create.server", "gitlab-registry.cern.ch")
                .with("imagePullSecrets.create.username", "fsauerbu")
                .with("imagePullSecrets.create.password", "token"));
    JsonNode secret = created.one("Secret", "caf-registry");
    assertThat(secret.path("type").asText()).isEqualTo("kubernetes.io/dockerconfigjson");
    assertThat(list(created.pod().path("imagePullSecrets")))
        .extracting(s -> s.path("name").asText())
        .containsExactly("caf-registry");
  }

  static List<String> mountPaths(JsonNode container) {
    return list(container.path("volumeMounts")).stream()
        .map(m -> m.path("mountPath").asText())
        .toList();
  }

  static JsonNode mount(JsonNode container, String path) {
    return list(container.path("volumeMounts")).stream()
        .filter(m -> path.equals(m.path("mountPath").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
  }

  static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (JsonNode variable : list(container.path("env"))) {
      env.put(variable.path("name").asText(), variable.path("value").asText(null));
    }
    return env;
  }

  static JsonNode volume(Rendered rendered, String name) {
    return list(rendered.pod().path("volumes")).stream()
        .filter(v -> name.equals(v.path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }
}
