package io.datapass.charts;

import static io.datapass.charts.Rendered.list;
import static io.datapass.charts.Rendered.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("batch-job: the cleanup Job and the accounts")
class CleanupJobTest {

  @Test
  void theCleanupJobWaitsForTheBatchJobStoresTheOutputClaimAndRemovesTheRest() {
    Rendered rendered = Helm.batchJob("job-42", taskRunner());

    JsonNode cleanup = rendered.cleanupJob();
    assertThat(cleanup.path("spec").path("ttlSecondsAfterFinished").asInt()).isEqualTo(60);
    JsonNode pod = cleanup.path("spec").path("template").path("spec");
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo("job-42-cleanup");
    JsonNode container = pod.path("containers").get(0);
    assertThat(strings(container.path("args")))
        .containsExactly(
            "cleanup",
            "--job",
            "job-42",
            "--wait-for-job",
            "job-42",
            "--upload-to",
            "gs://bucket/outputs/",
            "--output",
            "/output",
            "--mode",
            "zip",
            "--zip-level",
            "1",
            "--remove",
            "/output",
            "--delete",
            "job/job-42",
            "--delete",
            "pvc/job-42-input",
            "--delete",
            "pvc/job-42-output");
    assertThat(PodTest.mount(container, "/output").path("name").asText()).isEqualTo("output");
    assertThat(list(pod.path("volumes")))
        .anySatisfy(
            v ->
                assertThat(v.path("persistentVolumeClaim").path("claimName").asText())
                    .isEqualTo("job-42-output"));
  }

  @Test
  void requireOutputsIsRenderedAsTheCleanupsFlagOnlyWhenSet() {
    JsonNode requiring =
        Helm.batchJob("job-42", taskRunner().with("cleanup.requireOutputs", true)).cleanupJob();
    assertThat(strings(cleanupContainer(requiring).path("args")))
        .containsSubsequence("--zip-level", "1", "--require-outputs", "--remove");
    JsonNode byDefault = Helm.batchJob("job-42", taskRunner()).cleanupJob();
    assertThat(strings(cleanupContainer(byDefault).path("args")))
        .doesNotContain("--require-outputs");
  }

  private static JsonNode cleanupContainer(JsonNode cleanupJob) {
    return cleanupJob.path("spec").path("template").path("spec").path("containers").get(0);
  }

  @Test
  void theCleanupsRoleAllowsWaitingForTheJobAndDeletingItAndItsClaimsOnlyByName() {
    Rendered rendered = Helm.batchJob("job-42", taskRunner());

    List<JsonNode> rules = list(rendered.one("Role", "job-42-cleanup").path("rules"));
    assertThat(rules)
        .extracting(
            r ->
                strings(r.path("resources"))
                    + " "
                    + strings(r.path("resourceNames"))
                    + " "
                    + strings(r.path("verbs")))
        .containsExactly(
            "[jobs] [job-42] [get, watch, delete]",
            "[persistentvolumeclaims] [job-42-input, job-42-output] [delete]");
    JsonNode binding = rendered.one("RoleBinding", "job-42-cleanup");
    assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo("job-42-cleanup");

    Rendered keeping =
        Helm.batchJob(
            "job-42",
            taskRunner().with("cleanup.deleteJob", false).with("cleanup.deleteClaims", false));
    assertThat(list(keeping.one("Role", "job-42-cleanup").path("rules")))
        .extracting(r -> strings(r.path("verbs")))
        .containsExactly(List.of("get", "watch"));
    assertThat(
            strings(
                keeping
                    .cleanupJob()
                    .path("spec")
                    .path("template")
                    .path("spec")
                    .path("containers")
                    .get(0)
                    .path("args")))
        .doesNotContain("--delete");
  }

  @Test
  void theSidecarsRoleAllowsReportingToItsPodAndNothingMore() {
    Rendered rendered = Helm.batchJob("job-42", Values.minimal());

    assertThat(list(rendered.one("Role", "job-42").path("rules")))
        .extracting(r -> strings(r.path("resources")) + " " + strings(r.path("verbs")))
        .containsExactly("[pods] [get, patch, watch]", "[events] [create]");
    assertThat(
            rendered
                .one("ServiceAccount", "job-42")
                .path("automountServiceAccountToken")
                .asBoolean())
        .isFalse();

    Rendered quiet = Helm.batchJob("job-42", Values.minimal().with("sidecar.reportToPod", false));
    assertThat(quiet.ofKind("Role")).isEmpty();
    assertThat(strings(quiet.container("sidecar").path("args"))).doesNotContain("--report-to-pod");
    assertThat(PodTest.mountPaths(quiet.container("sidecar")))
        .doesNotContain("/var/run/secrets/kubernetes.io/serviceaccount");
  }

  @Test
  void withoutTheCleanupJobTheSidecarStoresTheOutputsUnderTheSubmissionsName() {
    Rendered rendered =
        Helm.batchJob(
            "job-42", Values.minimal().with("output.uploadTo", "root://eos.example.org//eos/out/"));

    assertThat(rendered.hasCleanupJob()).isFalse();
    assertThat(strings(rendered.container("sidecar").path("args")))
        .containsSubsequence("--job", "job-42", "--upload-to", "root://eos.example.org//eos/out/");
  }

  /** The task-runner seed: claims, outputs zipped by the cleanup Job, not by the sidecar. */
  @Test
  void helmTestFetchesBackWhatWasStoredFromWhereTheCleanupOrTheSidecarPutIt() throws Exception {
    // the test pod is a hook (helm-java's template leaves hooks out; ci/demo runs helm test for
    // real); the manifest it fetches is an object of the release
    YAMLMapper yaml = new YAMLMapper();
    JsonNode zipped =
        yaml.readTree(
            Helm.batchJob("job-42", taskRunner())
                .one("ConfigMap", "job-42-test")
                .path("data")
                .path("manifest.yaml")
                .asText());
    assertThat(zipped.path("inputs").findValuesAsText("source"))
        .containsExactly(
            "gs://bucket/outputs/job-42-output.manifest.json",
            "gs://bucket/outputs/job-42-output.zip");

    JsonNode bySidecar =
        yaml.readTree(
            Helm.batchJob(
                    "job-42", Values.minimal().with("output.uploadTo", "gs://bucket/outputs/"))
                .one("ConfigMap", "job-42-test")
                .path("data")
                .path("manifest.yaml")
                .asText());
    assertThat(bySidecar.path("inputs").get(0).path("source").asText())
        .isEqualTo("gs://bucket/outputs/job-42/");

    assertThat(Helm.batchJob("job-42", Values.minimal()).ofKind("ConfigMap"))
        .noneMatch(c -> Rendered.name(c).equals("job-42-test"));
  }

  private static Values taskRunner() {
    return Values.minimal()
        .with("input.volume", "claim")
        .with("output.volume", "claim")
        .with("output.uploadTo", "gs://bucket/outputs/")
        .with("sidecar.uploadOutputs", false)
        .with("cleanup.enabled", true);
  }
}
