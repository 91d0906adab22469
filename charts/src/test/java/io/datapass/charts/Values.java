package io.datapass.charts;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values for one render, set by dotted paths ({@code with("payload.image", "x")}) and written to a
 * values file, as a user's file would be: typed YAML, not {@code --set} strings.
 */
final class Values {
  private static final YAMLMapper YAML = new YAMLMapper();
  private final Map<String, Object> root = new LinkedHashMap<>();

  /** The least a submission needs: the payload's image and command. */
  static Values minimal() {
    return new Values()
        .with("payload.image", "registry.example.org/analysis:1.0")
        .with("payload.command", "analyse /workdir/input /workdir/output");
  }

  @SuppressWarnings("unchecked")
  Values with(String path, Object value) {
    String[] keys = path.split("\\.");
    Map<String, Object> map = root;
    for (int i = 0; i < keys.length - 1; i++) {
      map = (Map<String, Object>) map.computeIfAbsent(keys[i], k -> new LinkedHashMap<>());
    }
    map.put(keys[keys.length - 1], value);
    return this;
  }

  /** A manifest input {@code {source: ...}}. */
  static Map<String, Object> input(String source) {
    return Map.of("source", source);
  }

  /** {@code count} tasks, each with one input of its own. */
  Values withTasks(int count) {
    return with(
        "manifest.tasks",
        java.util.stream.IntStream.range(0, count)
            .mapToObj(i -> Map.of("inputs", List.of(input("gs://bucket/part-" + i + ".root"))))
            .toList());
  }

  Path file() {
    try {
      Path file = Files.createTempFile("datapass-values-", ".yaml");
      file.toFile().deleteOnExit();
      YAML.writeValue(file.toFile(), root);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
