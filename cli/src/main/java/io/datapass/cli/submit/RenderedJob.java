package io.datapass.cli.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.datapass.common.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the rendered manifests say about the submission: its Job's tasks and how many run at once,
 * and its largest ConfigMap (Kubernetes stores none whose data exceeds 1 MiB).
 */
record RenderedJob(
    int tasks, int parallelism, String largestConfigMap, long largestConfigMapBytes) {
  static final long CONFIG_MAP_LIMIT = 1024 * 1024;
  private static final YAMLMapper YAML = new YAMLMapper();

  static RenderedJob of(String manifests) {
    int tasks = 0;
    int parallelism = 0;
    String largest = null;
    long largestBytes = 0;
    try (MappingIterator<JsonNode> documents =
        YAML.readerFor(JsonNode.class).readValues(manifests)) {
      while (documents.hasNext()) {
        JsonNode object = documents.next();
        if (object == null) {
          continue;
        }
        String kind = object.path("kind").asText();
        if (kind.equals("Job")
            && "job".equals(object.at("/metadata/labels/app.kubernetes.io~1component").asText())) {
          tasks = object.path("spec").path("completions").asInt();
          parallelism = object.path("spec").path("parallelism").asInt();
        } else if (kind.equals("ConfigMap") && dataBytes(object) > largestBytes) {
          largestBytes = dataBytes(object);
          largest = object.path("metadata").path("name").asText();
        }
      }
      return new RenderedJob(tasks, parallelism, largest, largestBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("Helm rendered what is not YAML: " + e.getMessage(), e);
    }
  }

  /** "all at once" when the Job runs every task at once (parallelism 0 or at least the tasks). */
  String atOnce() {
    return parallelism <= 0 || parallelism >= tasks ? "all at once" : parallelism + " at once";
  }

  /** Refuses a ConfigMap Kubernetes would not store, before anything is uploaded or installed. */
  void refuseOversizedConfigMap(int inputs) throws ConfigException {
    if (largestConfigMapBytes <= CONFIG_MAP_LIMIT) {
      return;
    }
    long perSubmission = Math.max(1, inputs * CONFIG_MAP_LIMIT * 9 / 10 / largestConfigMapBytes);
    throw new ConfigException(
        String.format(
            "%d inputs make the ConfigMap %s %.1f MiB, over the 1 MiB Kubernetes stores in one:"
                + " split the inputs into several submissions (about %d inputs each)",
            inputs,
            largestConfigMap,
            largestConfigMapBytes / (double) CONFIG_MAP_LIMIT,
            perSubmission));
  }

  private static long dataBytes(JsonNode configMap) {
    long bytes = 0;
    for (String field : new String[] {"data", "binaryData"}) {
      for (Map.Entry<String, JsonNode> entry : configMap.path(field).properties()) {
        bytes += entry.getKey().getBytes(StandardCharsets.UTF_8).length;
        bytes += entry.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return bytes;
  }
}
