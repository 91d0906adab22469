package io.datapass.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("batch-job: names and labels")
class NamesTest {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  @Test
  void aShortDnsSafeNameIsKeptAsItIs() {
    Rendered rendered = Helm.batchJob("job-42", Values.everything("x"));

    assertThat(Rendered.name(rendered.job())).isEqualTo("job-42");
    assertThat(Rendered.name(rendered.cleanupJob())).isEqualTo("job-42-cleanup");
    assertThat(rendered.names())
        .contains(
            "ConfigMap/job-42-inputs",
            "PersistentVolumeClaim/job-42-output",
            "ServiceAccount/job-42");
  }

  @Test
  void aHundredCharacterNameGivesValidNamesThatLeaveRoomForEveryPodsHostname() {
    String name = "ship-charm-production-" + "x".repeat(78);
    Rendered rendered = Helm.batchJob("r", Values.everything("x").with("submission.name", name));

    for (JsonNode object : rendered.objects()) {
      assertThat(Rendered.name(object)).matches(DNS_LABEL);
    }
    String job = Rendered.name(rendered.job());
    assertThat(job).hasSizeLessThanOrEqualTo(52).startsWith("ship-charm-production-");
    // an Indexed Job's pods get the hostname <job>-<index>, itself a DNS label
    assertThat(job + "-" + Integer.MAX_VALUE).matches(DNS_LABEL);
    assertLabelsValid(rendered);
  }

  @Test
  void twoLongNamesThatDifferOnlyAtTheirEndGetDistinctNames() {
    String common = "a-very-long-submission-name-from-a-pipeline-".repeat(2);
    Set<String> seen = new HashSet<>();
    for (String name : List.of(common + "run-1", common + "run-2")) {
      Rendered rendered = Helm.batchJob("r", Values.minimal().with("submission.name", name));
      assertThat(seen.addAll(rendered.names())).isTrue();
      assertThat(seen.add(label(rendered.job(), "datapass.io/submission"))).isTrue();
    }
  }

  @Test
  void oddNamesAreMadeDnsSafeAndNamesThatCleanUpAlikeStillDiffer() {
    Set<String> jobs = new HashSet<>();
    for (String name : List.of("Job_42", "job.42", "job-42", "JOB 42", "jöb-42", "---")) {
      String job =
          Rendered.name(Helm.batchJob("r", Values.minimal().with("submission.name", name)).job());
      assertThat(job).as(name).matches(DNS_LABEL).hasSizeLessThanOrEqualTo(52);
      jobs.add(job);
    }
    assertThat(jobs).hasSize(6).contains("job-42");
    assertThat(jobs).anyMatch(j -> j.matches("job-42-[0-9a-f]{8}"));
  }

  @Test
  void everyObjectCarriesTheStandardAndTheSubmissionsLabels() {
    Rendered rendered =
        Helm.batchJob(
            "job-42",
            Values.everything("x")
                .with("submission.experiment", "SHiP")
                .with("submission.user", "Jane Doe <jdoe@cern.ch>"));

    for (JsonNode object : rendered.objects()) {
      JsonNode labels = object.path("metadata").path("labels");
      String name = Rendered.name(object);
      assertThat(labels.path("app.kubernetes.io/name").asText()).as(name).isEqualTo("batch-job");
      assertThat(labels.path("app.kubernetes.io/instance").asText()).as(name).isEqualTo("job-42");
      assertThat(labels.path("app.kubernetes.io/managed-by").asText()).as(name).isEqualTo("Helm");
      assertThat(labels.path("helm.sh/chart").asText()).as(name).isEqualTo("batch-job-0.1.0");
      assertThat(labels.path("datapass.io/submission").asText()).as(name).isEqualTo("job-42");
      assertThat(labels.path("datapass.io/experiment").asText()).as(name).startsWith("ship-");
      assertThat(labels.path("datapass.io/user").asText())
          .as(name)
          .startsWith("jane-doe-jdoe-cern-ch-");
    }
    assertLabelsValid(rendered);
    JsonNode podLabels =
        rendered.job().path("spec").path("template").path("metadata").path("labels");
    assertThat(podLabels.path("datapass.io/submission").asText()).isEqualTo("job-42");
  }

  @Test
  void fullnameOverrideReplacesTheBaseOfEveryName() {
    Rendered rendered = Helm.batchJob("job-42", Values.minimal().with("fullnameOverride", "other"));

    assertThat(Rendered.name(rendered.job())).isEqualTo("other");
    assertThat(rendered.names()).contains("ConfigMap/other-inputs", "ConfigMap/other-wrapper");
  }

  private static void assertLabelsValid(Rendered rendered) {
    for (JsonNode object : rendered.objects()) {
      for (Map.Entry<String, JsonNode> label :
          object.path("metadata").path("labels").properties()) {
        assertThat(label.getValue().asText()).as(label.getKey()).matches(LABEL_VALUE);
      }
    }
  }

  private static String label(JsonNode object, String key) {
    return object.path("metadata").path("labels").path(key).asText();
  }
}
