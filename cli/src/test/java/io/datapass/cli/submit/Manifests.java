package io.datapass.cli.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What {@code submit --dry-run} printed, as objects. */
record Manifests(List<JsonNode> objects) {
  private static final YAMLMapper YAML = new YAMLMapper();

  static Manifests parse(String printed) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(printed)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && !document.isNull() && !document.isEmpty()) {
          objects.add(document);
        }
      }
    }
    return new Manifests(objects);
  }

  JsonNode job() {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals("Job"))
        .filter(o -> o.at("/metadata/labels/app.kubernetes.io~1component").asText().equals("job"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no batch Job in " + objects));
  }

  /** The downloader's manifest, from the inputs ConfigMap. */
  JsonNode inputManifest() throws IOException {
    JsonNode configMap =
        objects.stream()
            .filter(o -> o.path("kind").asText().equals("ConfigMap"))
            .filter(o -> o.at("/metadata/name").asText().endsWith("-inputs"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no inputs ConfigMap in " + objects));
    return YAML.readTree(configMap.at("/data/manifest.yaml").asText());
  }

  List<String> names() {
    return objects.stream()
        .map(o -> o.path("kind").asText() + "/" + o.at("/metadata/name").asText())
        .toList();
  }
}
