package io.datapass.charts;

import static io.datapass.charts.Rendered.list;
import static io.datapass.charts.Rendered.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("batch-job: the Job")
class JobSpecTest {

  @Test
  void aSingleTaskIsAPlainJobThatFailsAtOnceOnExitTwoOfTheDownloadOrThePayload() {
    JsonNode spec = Helm.batchJob("job-42", Values.minimal()).job().path("spec");

    assertThat(spec.path("completionMode").asText()).isEqualTo("NonIndexed");
    assertThat(spec.path("completions").asInt()).isEqualTo(1);
    assertThat(spec.path("backoffLimit").asInt()).isEqualTo(2);
    assertThat(spec.has("backoffLimitPerIndex")).isFalse();
    List<JsonNode> rules = list(spec.path("podFailurePolicy").path("rules"));
    assertThat(rules).hasSize(3);
    assertThat(rules.get(0).path("action").asText()).isEqualTo("Ignore");
    assertThat(rules.get(0).path("onPodConditions").get(0).path("type").asText())
        .isEqualTo("DisruptionTarget");
    assertThat(rules.subList(1, 3))
        .extracting(
            r -> r.path("action").asText(),
            r -> r.path("onExitCodes").path("containerName").asText(),
            r -> r.path("onExitCodes").path("operator").asText(),
            r -> strings(r.path("onExitCodes").path("values")))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("FailJob", "download", "In", List.of("2")),
            org.assertj.core.groups.Tuple.tuple("FailJob", "payload", "In", List.of("2")));
    assertThat(spec.path("template").path("spec").path("restartPolicy").asText())
        .isEqualTo("Never");
  }

  @Test
  void severalTasksMakeAnIndexedJobWhoseIndexesFailOnTheirOwn() {
    Values values =
        Values.minimal()
            .withTasks(5)
            .with("job.parallelism", 2)
            .with("job.backoffLimitPerIndex", 3)
            .with("job.maxFailedIndexes", 1);
    Rendered rendered = Helm.batchJob("scan", values);
    JsonNode spec = rendered.job().path("spec");

    assertThat(spec.path("completionMode").asText()).isEqualTo("Indexed");
    assertThat(spec.path("completions").asInt()).isEqualTo(5);
    assertThat(spec.path("parallelism").asInt()).isEqualTo(2);
    assertThat(spec.path("backoffLimitPerIndex").asInt()).isEqualTo(3);
    assertThat(spec.path("maxFailedIndexes").asInt()).isEqualTo(1);
    assertThat(spec.has("backoffLimit")).isFalse();
    assertThat(list(spec.path("podFailurePolicy").path("rules")))
        .filteredOn(r -> r.has("onExitCodes"))
        .extracting(r -> r.path("action").asText())
        .containsOnly("FailIndex");
    assertThat(rendered.manifest())
        .contains("tasks:", "gs://bucket/part-0.root", "gs://bucket/part-4.root");
  }

  @Test
  void aSingleTasksInputsJoinTheSharedOnesSinceNoIndexWouldPickThem() {
    Values values =
        Values.minimal()
            .with("manifest.inputs", List.of(Values.input("gs://bucket/calib.db")))
            .withTasks(1);
    Rendered rendered = Helm.batchJob("one", values);

    assertThat(rendered.job().path("spec").path("completionMode").asText()).isEqualTo("NonIndexed");
    assertThat(rendered.manifest())
        .doesNotContain("tasks")
        .contains("gs://bucket/calib.db", "gs://bucket/part-0.root");
  }

  @Test
  void withoutTasksCompletionsCountTheTasksAndEveryIndexRunsAtOnce() {
    JsonNode spec =
        Helm.batchJob("sweep", Values.minimal().with("job.completions", 4)).job().path("spec");

    assertThat(spec.path("completionMode").asText()).isEqualTo("Indexed");
    assertThat(spec.path("completions").asInt()).isEqualTo(4);
    assertThat(spec.path("parallelism").asInt()).isEqualTo(4);
  }

  @Test
  void timeLimitsAndTheGracePeriodLeaveTheSidecarItsFinalUpload() {
    JsonNode job =
        Helm.batchJob(
                "job-42",
                Values.minimal()
                    .with("sidecar.graceSeconds", 60)
                    .with("job.activeDeadlineSeconds", 1_209_600)
                    .with("job.ttlSecondsAfterFinished", 3600))
            .job();

    // two weeks: a number of a million or more from a values file must not print as 1.2096e+06
    assertThat(job.path("spec").path("activeDeadlineSeconds").isIntegralNumber()).isTrue();
    assertThat(job.path("spec").path("activeDeadlineSeconds").asLong()).isEqualTo(1_209_600);
    assertThat(job.path("spec").path("ttlSecondsAfterFinished").asInt()).isEqualTo(3600);
    JsonNode pod = job.path("spec").path("template").path("spec");
    assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isEqualTo(80);
  }

  @Test
  void aGracePeriodNotAboveTheSidecarsIsRefusedNamingBothValues() {
    String refusal =
        Helm.batchJobRefusal(
            "job-42",
            Values.minimal()
                .with("sidecar.graceSeconds", 30)
                .with("job.terminationGracePeriodSeconds", 30));

    assertThat(refusal).contains("job.terminationGracePeriodSeconds (30)", "sidecar.graceSeconds");
  }

  @Test
  void aKueueQueueNameLabelsTheJob() {
    JsonNode job =
        Helm.batchJob("queued", Values.minimal().with("kueue.queueName", "physics")).job();

    assertThat(job.path("metadata").path("labels").path("kueue.x-k8s.io/queue-name").asText())
        .isEqualTo("physics");
    assertThat(
            Helm.batchJob("free", Values.minimal())
                .job()
                .path("metadata")
                .path("labels")
                .toString())
        .doesNotContain("kueue");
  }

  @Test
  void payloadExitCodesThatFailAtOnceAreTheValuesAndMustAscend() {
    JsonNode spec =
        Helm.batchJob("job-42", Values.minimal().with("job.failOnExitCodes", List.of(2, 42)))
            .job()
            .path("spec");
    JsonNode payloadRule = list(spec.path("podFailurePolicy").path("rules")).get(2);
    assertThat(strings(payloadRule.path("onExitCodes").path("values"))).containsExactly("2", "42");

    assertThat(
            Helm.batchJobRefusal(
                "job-42", Values.minimal().with("job.failOnExitCodes", List.of(42, 2))))
        .contains("job.failOnExitCodes", "ascending");
  }

  @Test
  void extraLabelsAndAnnotationsGoOnTheJobAndItsPods() {
    JsonNode job =
        Helm.batchJob(
                "job-42",
                Values.minimal()
                    .with("job.labels", Map.of("team", "higgs"))
                    .with("job.annotations", Map.of("note", "rerun")))
            .job();

    assertThat(job.path("metadata").path("labels").path("team").asText()).isEqualTo("higgs");
    JsonNode template = job.path("spec").path("template").path("metadata");
    assertThat(template.path("labels").path("team").asText()).isEqualTo("higgs");
    assertThat(template.path("annotations").path("note").asText()).isEqualTo("rerun");
  }
}
