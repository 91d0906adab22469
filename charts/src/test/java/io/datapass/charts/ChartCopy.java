package io.datapass.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A copy of a chart whose values.yaml has values files merged in as Helm merges them (maps merge,
 * anything else replaces), for {@code lint}, which helm-java runs on a chart's own values only.
 */
final class ChartCopy {
  private static final YAMLMapper YAML = new YAMLMapper();

  private ChartCopy() {}

  static Path withValues(Path chart, Path... valuesFiles) {
    try {
      Path copy = Files.createTempDirectory("datapass-chart-").resolve(chart.getFileName());
      // following links: charts/datapass-lib is one
      try (Stream<Path> files = Files.walk(chart, FileVisitOption.FOLLOW_LINKS)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Path target = copy.resolve(chart.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      JsonNode values = YAML.readTree(chart.resolve("values.yaml").toFile());
      for (Path file : valuesFiles) {
        values = merge(values, YAML.readTree(file.toFile()));
      }
      YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode merge(JsonNode base, JsonNode override) {
    if (!(base instanceof ObjectNode baseMap) || !override.isObject()) {
      return override;
    }
    ObjectNode merged = baseMap.deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = override.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode current = merged.get(field.getKey());
      merged.set(
          field.getKey(), current == null ? field.getValue() : merge(current, field.getValue()));
    }
    return merged;
  }
}
