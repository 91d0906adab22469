package io.datapass.cli.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** What the rendered manifests say about the submission's Job: how many tasks it has. */
final class RenderedJob {
  private static final YAMLMapper YAML = new YAMLMapper();

  private RenderedJob() {}

  /** {@code spec.completions} of the batch Job (component "job"); 0 when there is none. */
  static int tasks(String manifests) {
    try (MappingIterator<JsonNode> documents =
        YAML.readerFor(JsonNode.class).readValues(manifests)) {
      while (documents.hasNext()) {
        JsonNode object = documents.next();
        if (object != null
            && "Job".equals(object.path("kind").asText())
            && "job"
                .equals(
                    object
                        .path("metadata")
                        .path("labels")
                        .path("app.kubernetes.io/component")
                        .asText())) {
          return object.path("spec").path("completions").asInt();
        }
      }
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("Helm rendered what is not YAML: " + e.getMessage(), e);
    }
  }
}
