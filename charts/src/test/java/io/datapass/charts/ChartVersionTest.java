package io.datapass.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("charts: versions")
class ChartVersionTest {

  @Test
  void theAgentImageTagByDefaultIsTheVersionMavenBuilds() throws IOException {
    String version = System.getProperty("datapass.version");
    assertThat(version).as("set by the pom").isNotBlank();
    for (String chart : new String[] {"batch-job", "datapass-lib", "user-pod"}) {
      JsonNode chartYaml =
          new YAMLMapper().readTree(Helm.CHARTS.resolve(chart + "/Chart.yaml").toFile());
      assertThat(chartYaml.path("appVersion").asText()).as(chart).isEqualTo(version);
    }
    assertThat(
            Helm.batchJob("job-42", Values.minimal()).container("sidecar").path("image").asText())
        .isEqualTo("datapass/agent:" + version);
  }
}
