package io.datapass.charts;

import static io.datapass.charts.Rendered.list;
import static io.datapass.charts.Rendered.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("batch-job: the restricted Pod Security Standard")
class SecurityContextTest {

  @Test
  void everyContainerOfEveryPodIsRestrictedWithAReadOnlyRoot() {
    for (Values values :
        List.of(
            Values.minimal(),
            Values.everything("s3cr3t"),
            Values.everything("s3cr3t").with("download.by", "sidecar"))) {
      Rendered rendered = Helm.batchJob("job-42", values);
      assertThat(rendered.podSpecs()).isNotEmpty();
      for (JsonNode pod : rendered.podSpecs()) {
        JsonNode podContext = pod.path("securityContext");
        assertThat(podContext.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(podContext.path("runAsUser").asInt()).isPositive();
        assertThat(podContext.path("seccompProfile").path("type").asText())
            .isEqualTo("RuntimeDefault");
        for (JsonNode container : containers(pod)) {
          assertRestricted(container);
          assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
              .as(container.path("name").asText())
              .isTrue();
        }
      }
    }
  }

  @Test
  void aPayloadImageThatWritesElsewhereGetsAWritableRootAndNothingElseLoosened() {
    Rendered rendered =
        Helm.batchJob("job-42", Values.minimal().with("payload.readOnlyRootFilesystem", false));

    JsonNode payload = rendered.container("payload");
    assertRestricted(payload);
    assertThat(payload.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
        .isFalse();
    assertThat(
            rendered
                .container("sidecar")
                .path("securityContext")
                .path("readOnlyRootFilesystem")
                .asBoolean())
        .isTrue();
  }

  @Test
  void theUsersUidGidAndFsGroupAreThePods() {
    JsonNode context =
        Helm.batchJob(
                "caf",
                Values.minimal()
                    .with("securityContext.runAsUser", 1000)
                    .with("securityContext.runAsGroup", 1000)
                    .with("securityContext.fsGroup", 1000))
            .pod()
            .path("securityContext");

    assertThat(context.path("runAsUser").asInt()).isEqualTo(1000);
    assertThat(context.path("runAsGroup").asInt()).isEqualTo(1000);
    assertThat(context.path("fsGroup").asInt()).isEqualTo(1000);
  }

  @Test
  void aGroupOfZeroAndALargeUidAreRenderedAsGiven() {
    // the library once put 65532 for a 0 (`default`) and printed a uid read from a values file as
    // a float, 1.2345678e+07
    JsonNode context =
        Helm.batchJob(
                "job-42",
                Values.minimal()
                    .with("securityContext.runAsUser", 12345678)
                    .with("securityContext.runAsGroup", 0)
                    .with("securityContext.fsGroup", 0))
            .pod()
            .path("securityContext");

    assertThat(context.path("runAsUser").isIntegralNumber()).isTrue();
    assertThat(context.path("runAsUser").asLong()).isEqualTo(12345678);
    assertThat(context.path("runAsGroup").asLong()).isZero();
    assertThat(context.path("fsGroup").asLong()).isZero();
  }

  @Test
  void rootIsRefusedByTheSchema() {
    assertThat(
            Helm.batchJobRefusal("job-42", Values.minimal().with("securityContext.runAsUser", 0)))
        .contains("/securityContext/runAsUser");
  }

  static void assertRestricted(JsonNode container) {
    JsonNode context = container.path("securityContext");
    String name = container.path("name").asText();
    assertThat(context.path("runAsNonRoot").asBoolean()).as(name).isTrue();
    assertThat(context.path("allowPrivilegeEscalation").isBoolean()).as(name).isTrue();
    assertThat(context.path("allowPrivilegeEscalation").asBoolean()).as(name).isFalse();
    assertThat(strings(context.path("capabilities").path("drop"))).as(name).containsExactly("ALL");
    assertThat(context.path("capabilities").has("add")).as(name).isFalse();
    assertThat(context.path("seccompProfile").path("type").asText())
        .as(name)
        .isEqualTo("RuntimeDefault");
    assertThat(context.has("privileged")).as(name).isFalse();
  }

  static List<JsonNode> containers(JsonNode pod) {
    List<JsonNode> all = new ArrayList<>(list(pod.path("initContainers")));
    all.addAll(list(pod.path("containers")));
    return all;
  }
}
