package io.datapass.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("batch-job: values.schema.json names what is wrong")
class SchemaTest {

  @Test
  void aRenamedKeyIsRefusedNamingTheNewOne() {
    assertThat(Helm.batchJobRefusal("job-42", Values.minimal().with("cleanup.compression", 3)))
        .contains("cleanup.compression was renamed cleanup.zipLevel: set cleanup.zipLevel instead");
  }

  @Test
  void aMisspeltKeyIsRefusedNamingIt() {
    assertThat(Helm.batchJobRefusal("job-42", Values.minimal().with("payload.comand", "run")))
        .contains("at '/payload'", "'comand' not allowed");
    assertThat(Helm.batchJobRefusal("job-42", Values.minimal().with("sidecar.graceSecond", 30)))
        .contains("at '/sidecar'", "'graceSecond' not allowed");
    assertThat(Helm.batchJobRefusal("job-42", Values.minimal().with("tasks", 3)))
        .contains("'tasks' not allowed");
  }

  @Test
  void aWrongTypeIsRefusedNamingTheKey() {
    assertThat(Helm.batchJobRefusal("job-42", Values.minimal().with("job.completions", "five")))
        .contains("at '/job/completions'", "want integer");
    assertThat(Helm.batchJobRefusal("job-42", Values.minimal().with("sidecar.reportToPod", "yes")))
        .contains("at '/sidecar/reportToPod'", "want boolean");
  }

  @Test
  void aManifestMistakeIsRefusedBeforeAnyPodWouldMeetIt() {
    Values values =
        Values.minimal()
            .with(
                "manifest.inputs",
                List.of(Map.of("source", "gs://b/run1.root", "chcksum", "adler32:0a1b2c3d")));
    assertThat(Helm.batchJobRefusal("job-42", values))
        .contains("at '/manifest/inputs/0'", "'chcksum' not allowed");

    Values badChecksum =
        Values.minimal()
            .with("manifest.inputs", List.of(Map.of("source", "gs://b/x", "checksum", "crc:12")));
    assertThat(Helm.batchJobRefusal("job-42", badChecksum)).contains("/manifest/inputs/0/checksum");
  }

  @Test
  void aValueOutsideItsChoicesIsRefusedNamingTheKey() {
    assertThat(Helm.batchJobRefusal("job-42", Values.minimal().with("download.by", "payload")))
        .contains("/download/by");
    assertThat(Helm.batchJobRefusal("job-42", Values.minimal().with("output.volume", "hostPath")))
        .contains("/output/volume");
    assertThat(
            Helm.batchJobRefusal("job-42", Values.minimal().with("output.uploadTo", "gs://b/out")))
        .contains("/output/uploadTo");
  }

  @Test
  void aMissingPayloadIsRefusedNamingTheValue() {
    assertThat(Helm.batchJobRefusal("job-42", new Values().with("payload.command", "run")))
        .contains("payload.image is required");
    assertThat(Helm.batchJobRefusal("job-42", new Values().with("payload.image", "busybox")))
        .contains("payload.command is required");
  }

  @Test
  void theCleanupJobNeedsTheOutputClaimAndADestination() {
    assertThat(Helm.batchJobRefusal("job-42", Values.minimal().with("cleanup.enabled", true)))
        .contains("cleanup.enabled needs output.volume: claim");
    assertThat(
            Helm.batchJobRefusal(
                "job-42",
                Values.minimal().with("cleanup.enabled", true).with("output.volume", "claim")))
        .contains("cleanup.enabled needs output.uploadTo");
  }
}
