package io.datapass.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datapass.kube.testing.ApiServerFixture;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the charts render, created on a real kube-apiserver 1.34 (the local cluster's, on loopback,
 * without a kubelet): the API server validates every object (podFailurePolicy naming an init
 * container, native sidecars, Indexed Jobs), and each Job's pod, created as the Job controller
 * would, is admitted in a namespace that enforces the "restricted" Pod Security Standard; so is
 * each user pod, with its Service and its helm test pod.
 */
@DisplayName("charts on a real API server (restricted Pod Security)")
class RenderedOnApiServerIT {
  private static ApiServerFixture api;
  private static KubernetesClient admin;
  private static int namespaces;

  @BeforeAll
  static void start() throws Exception {
    api = ApiServerFixture.start();
    admin = api.admin();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void everyExperimentsSubmissionIsAcceptedAndItsPodsAdmitted() throws Exception {
    List<Path> files = new ArrayList<>(ExperimentValuesTest.batchJobValues());
    files.addAll(ChartLintTest.ciValues());
    files.add(Values.everything("s3cr3t").with("download.by", "sidecar").file());
    for (Path values : files) {
      String ns = restrictedNamespace();
      Rendered rendered = Helm.template(Helm.BATCH_JOB, "job-42", values);
      for (JsonNode object : rendered.objects()) {
        admin.resource(object.toString()).inNamespace(ns).create();
      }
      for (JsonNode job : rendered.ofKind("Job")) {
        admin.resource(podOf(job).toString()).inNamespace(ns).create();
      }
      assertThat(admin.pods().inNamespace(ns).list().getItems())
          .as(values.toString())
          .hasSize(rendered.ofKind("Job").size());
    }
  }

  @Test
  void theNamespaceRefusesAPodThatIsNotRestrictedSoTheAdmissionAboveMeantSomething() {
    String ns = restrictedNamespace();
    Rendered rendered = Helm.batchJob("job-42", Values.minimal());
    for (JsonNode object : rendered.objects()) {
      admin.resource(object.toString()).inNamespace(ns).create();
    }
    ObjectNode pod = podOf(rendered.job());
    ((ObjectNode) pod.path("spec").path("containers").get(0).path("securityContext"))
        .put("allowPrivilegeEscalation", true);

    assertThatThrownBy(() -> admin.resource(pod.toString()).inNamespace(ns).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("restricted")
        .hasMessageContaining("allowPrivilegeEscalation");
  }

  @Test
  void everyUserPodIsAcceptedAndAdmittedUnderRestrictedWithItsService() throws Exception {
    List<Rendered> renders = new ArrayList<>();
    for (Path values : ExperimentValuesTest.userPodValues()) {
      renders.add(Helm.template(Helm.USER_POD, "r", values, Values.savuUser().file()));
    }
    for (Path values : ChartLintTest.ciValues(Helm.USER_POD)) {
      if (!values.getFileName().toString().contains("node-filesystems")) {
        renders.add(Helm.template(Helm.USER_POD, "r", values));
      }
    }
    assertThat(renders).hasSizeGreaterThanOrEqualTo(3);
    for (Rendered rendered : renders) {
      String ns = restrictedNamespace();
      for (JsonNode object : rendered.objects()) {
        admin.resource(object.toString()).inNamespace(ns).create();
      }
      // the helm test pod is a hook, which template leaves out: UserPodOnApiServerIT runs it
      assertThat(admin.pods().inNamespace(ns).list().getItems()).hasSize(1);
      assertThat(admin.services().inNamespace(ns).list().getItems()).hasSize(1);
    }
  }

  @Test
  void aNodesDirectoryOrAnNfsExportIsRefusedUnderRestrictedAndAdmittedWhereThePolicyAllows() {
    Rendered rendered =
        Helm.template(
            Helm.USER_POD, "r", Helm.USER_POD.resolve("ci/03-node-filesystems-values.yaml"));
    String pod = rendered.userPod().toString();

    assertThatThrownBy(() -> admin.resource(pod).inNamespace(restrictedNamespace()).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("restricted volume types")
        .hasMessageContaining("hostPath")
        .hasMessageContaining("nfs");

    String privileged = namespace("charts-" + namespaces++, Map.of());
    admin.resource(pod).inNamespace(privileged).create();
    assertThat(admin.pods().inNamespace(privileged).list().getItems()).hasSize(1);
  }

  /** A pod of the Job's template, as the Job controller would make it. */
  private static ObjectNode podOf(JsonNode job) {
    ObjectNode pod = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    pod.put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode template = (ObjectNode) job.path("spec").path("template").deepCopy();
    ObjectNode metadata = (ObjectNode) template.path("metadata");
    metadata.put("name", Rendered.name(job) + "-0");
    pod.set("metadata", metadata);
    pod.set("spec", template.path("spec"));
    return pod;
  }

  private static String restrictedNamespace() {
    return namespace(
        "charts-" + namespaces++, Map.of("pod-security.kubernetes.io/enforce", "restricted"));
  }

  /**
   * A namespace with its "default" ServiceAccount, which pods naming no account run as (the
   * controller that makes it does not run here).
   */
  private static String namespace(String name, Map<String, String> labels) {
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
    admin
        .serviceAccounts()
        .inNamespace(name)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build())
        .create();
    return name;
  }
}
