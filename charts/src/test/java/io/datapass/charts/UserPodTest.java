package io.datapass.charts;

import static io.datapass.charts.Rendered.list;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("user-pod: the pod, its Service and its test")
class UserPodTest {
  private static final Path SAVU = Helm.EXPERIMENTS.resolve("savu.yaml");

  @Test
  void oneBarePodRunsAsTheUserAndNeedsNoKubernetesApi() {
    Rendered rendered = savu(Values.savuUser());

    // helm-java's template leaves out hooks (the helm test pod): UserPodOnApiServerIT runs it
    assertThat(rendered.ofKind("Pod")).hasSize(1);
    assertThat(rendered.ofKind("Deployment")).isEmpty();
    JsonNode spec = rendered.userPod().path("spec");
    assertThat(spec.path("restartPolicy").asText()).isEqualTo("Always");
    assertThat(spec.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    JsonNode context = spec.path("securityContext");
    assertThat(context.path("runAsUser").asLong()).isEqualTo(37123);
    assertThat(context.path("runAsGroup").asLong()).isEqualTo(37000);
    assertThat(context.path("fsGroup").asLong()).as("fsGroup defaults to the gid").isEqualTo(37000);
    assertThat(context.has("supplementalGroups")).isFalse();
  }

  @Test
  void theUsersFsGroupAndOtherGroupsAreThePods() {
    JsonNode context =
        savu(Values.savuUser()
                .with("user.uid", 12345678)
                .with("user.fsGroup", 500)
                .with("user.supplementalGroups", List.of(500, 501)))
            .userPod()
            .path("spec")
            .path("securityContext");

    // a uid of 8 digits from a values file, where Helm reads numbers as floats: no 1.2345678e+07
    assertThat(context.path("runAsUser").isIntegralNumber()).isTrue();
    assertThat(context.path("runAsUser").asLong()).isEqualTo(12345678);
    assertThat(context.path("fsGroup").asLong()).isEqualTo(500);
    assertThat(list(context.path("supplementalGroups")))
        .extracting(JsonNode::asLong)
        .containsExactly(500L, 501L);
  }

  @Test
  void aGidOfZeroStaysZeroAndIsNotReplacedByTheDefault() {
    JsonNode context =
        Helm.userPod("r", Values.user("jdoe").with("user.gid", 0))
            .userPod()
            .path("spec")
            .path("securityContext");

    assertThat(context.path("runAsGroup").asLong()).isZero();
    assertThat(context.path("fsGroup").asLong()).isZero();
  }

  @Test
  void theServiceIsClusterIpByDefaultAndSelectsTheUserPod() {
    Rendered rendered = savu(Values.savuUser());
    JsonNode service = rendered.service();

    assertThat(service.path("spec").path("type").asText()).isEqualTo("ClusterIP");
    JsonNode port = service.path("spec").path("ports").get(0);
    assertThat(port.path("port").asInt()).isEqualTo(80);
    assertThat(port.path("targetPort").asText()).isEqualTo("http");
    assertThat(port.has("nodePort")).isFalse();
    assertThat(rendered.userContainer("web").path("ports").get(0).path("name").asText())
        .isEqualTo("http");
    Map<String, String> selector = map(service.path("spec").path("selector"));
    assertThat(selector).isNotEmpty();
    assertThat(map(rendered.userPod().path("metadata").path("labels")))
        .containsAllEntriesOf(selector);
    // the helm test pod (component "test") must not receive the Service's traffic
    assertThat(selector).containsEntry("app.kubernetes.io/component", "user-pod");
  }

  @Test
  void aNodePortServiceTakesTheGivenPortOrLetsKubernetesPick() {
    JsonNode fixed =
        savu(Values.savuUser().with("service.type", "NodePort").with("service.nodePort", 30080))
            .service()
            .path("spec");
    assertThat(fixed.path("type").asText()).isEqualTo("NodePort");
    assertThat(fixed.path("ports").get(0).path("nodePort").asInt()).isEqualTo(30080);

    JsonNode picked =
        savu(Values.savuUser().with("service.type", "NodePort")).service().path("spec");
    assertThat(picked.path("ports").get(0).has("nodePort")).isFalse();
  }

  @Test
  void savuMountsTheDataReadWriteInTheApiAndReadOnlyInTheDataServerAndNotInTheWebProxy() {
    Rendered rendered = savu(Values.savuUser());

    assertThat(rendered.userPod().path("spec").path("containers"))
        .extracting(c -> c.path("name").asText())
        .containsExactly("api", "dataserver", "web");
    JsonNode api = PodTest.mount(rendered.userContainer("api"), "/data");
    JsonNode dataserver = PodTest.mount(rendered.userContainer("dataserver"), "/data");
    assertThat(api.path("readOnly").asBoolean()).isFalse();
    assertThat(dataserver.path("readOnly").asBoolean()).isTrue();
    assertThat(api.path("name").asText()).isEqualTo(dataserver.path("name").asText());
    assertThat(PodTest.mountPaths(rendered.userContainer("web"))).containsExactly("/tmp");
    assertThat(
            volume(rendered, api.path("name").asText())
                .path("persistentVolumeClaim")
                .path("claimName")
                .asText())
        .isEqualTo("dlstmp");
  }

  @Test
  void eachVolumeKindBecomesItsKubernetesVolume() {
    Rendered rendered =
        Helm.template(
            Helm.USER_POD, "r", Helm.USER_POD.resolve("ci/03-node-filesystems-values.yaml"));
    JsonNode dls = volume(rendered, "dls").path("hostPath");
    assertThat(dls.path("path").asText()).isEqualTo("/dls");
    assertThat(dls.path("type").asText()).isEqualTo("Directory");
    assertThat(volume(rendered, "home").path("nfs").path("server").asText())
        .isEqualTo("nfs.example.org");

    Rendered everything =
        Helm.template(Helm.USER_POD, "r", Helm.USER_POD.resolve("ci/02-everything-values.yaml"));
    assertThat(volume(everything, "scratch").path("emptyDir").path("sizeLimit").asText())
        .isEqualTo("1Gi");
    assertThat(volume(everything, "token").path("secret").path("secretName").asText())
        .isEqualTo("savu-api-token");
    assertThat(PodTest.mount(everything.userContainer("web"), "/data").path("subPath").asText())
        .isEqualTo("processed");
  }

  @Test
  void aCredentialIsASecretsValueByNameNeverALiteral() {
    Rendered rendered =
        Helm.userPod(
            "r",
            Values.user("jdoe")
                .with(
                    "containers.web.envFromSecrets",
                    Map.of("API_TOKEN", Map.of("secretName", "savu-token", "key", "token"))));

    JsonNode variable = rendered.userContainer("web").path("env").get(0);
    assertThat(variable.path("name").asText()).isEqualTo("API_TOKEN");
    assertThat(variable.has("value")).isFalse();
    assertThat(variable.path("valueFrom").path("secretKeyRef").path("name").asText())
        .isEqualTo("savu-token");
    assertThat(rendered.ofKind("Secret")).as("the chart creates no Secret").isEmpty();
  }

  @Test
  void everyContainerIsRestrictedAndReadOnlyUnlessTheValuesSayOtherwise() {
    for (Rendered rendered :
        List.of(
            savu(Values.savuUser()),
            Helm.userPod("r", Values.user("jdoe")),
            Helm.template(
                Helm.USER_POD, "r", Helm.USER_POD.resolve("ci/02-everything-values.yaml")))) {
      for (JsonNode pod : rendered.ofKind("Pod")) {
        JsonNode context = pod.path("spec").path("securityContext");
        assertThat(context.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(context.path("seccompProfile").path("type").asText())
            .isEqualTo("RuntimeDefault");
        for (JsonNode container : list(pod.path("spec").path("containers"))) {
          SecurityContextTest.assertRestricted(container);
        }
      }
    }
    Rendered minimal = Helm.userPod("r", Values.user("jdoe"));
    assertThat(
            minimal
                .userContainer("web")
                .path("securityContext")
                .path("readOnlyRootFilesystem")
                .asBoolean())
        .isTrue();
    assertThat(PodTest.mountPaths(minimal.userContainer("web"))).containsExactly("/tmp");
  }

  @Test
  void aPortBelow1024IsBoundAsTheUserThroughTheSafeSysctlAndOnlyThen() {
    JsonNode sysctls =
        savu(Values.savuUser()).userPod().path("spec").path("securityContext").path("sysctls");
    assertThat(list(sysctls)).hasSize(1);
    assertThat(sysctls.get(0).path("name").asText())
        .isEqualTo("net.ipv4.ip_unprivileged_port_start");
    assertThat(sysctls.get(0).path("value").asText()).isEqualTo("80");

    assertThat(
            Helm.userPod("r", Values.user("jdoe"))
                .userPod()
                .path("spec")
                .path("securityContext")
                .has("sysctls"))
        .isFalse();
  }

  @Test
  void theContainerBehindTheServiceIsReadyOnceItListensUnlessItHasItsOwnProbe() {
    Rendered rendered = savu(Values.savuUser());
    assertThat(
            rendered
                .userContainer("web")
                .path("readinessProbe")
                .path("tcpSocket")
                .path("port")
                .asText())
        .isEqualTo("http");
    assertThat(rendered.userContainer("api").has("readinessProbe")).isFalse();

    Rendered own =
        Helm.userPod(
            "r",
            Values.user("jdoe")
                .with("containers.web.readinessProbe", Map.of("httpGet", Map.of("path", "/"))));
    assertThat(own.userContainer("web").path("readinessProbe").has("tcpSocket")).isFalse();
  }

  @Test
  void theMaximumLifetimeIsThePodsDeadlineAndPullSecretsGoByName() {
    JsonNode spec =
        savu(Values.savuUser().with("imagePullSecrets.names", List.of("savu-registry")))
            .userPod()
            .path("spec");

    assertThat(spec.path("activeDeadlineSeconds").asLong()).isEqualTo(43200);
    assertThat(list(spec.path("imagePullSecrets")))
        .extracting(s -> s.path("name").asText())
        .containsExactly("savu-registry");
    assertThat(
            Helm.userPod("r", Values.user("jdoe"))
                .userPod()
                .path("spec")
                .has("activeDeadlineSeconds"))
        .as("no lifetime by default")
        .isFalse();
  }

  static JsonNode volume(Rendered rendered, String name) {
    return list(rendered.userPod().path("spec").path("volumes")).stream()
        .filter(v -> name.equals(v.path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static Rendered savu(Values user) {
    return Helm.template(Helm.USER_POD, "savu-jdoe", SAVU, user.file());
  }

  static Map<String, String> map(JsonNode object) {
    Map<String, String> map = new java.util.TreeMap<>();
    object.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }
}
