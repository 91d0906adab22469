package io.datapass.cli.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.datapass.common.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An experiment's values file, read for what the command itself needs (the chart's schema checks
 * the rest when it renders): the experiment, the user, the outputs' prefix, the shared inputs.
 */
public record ValuesFile(Path path, JsonNode root) {
  private static final YAMLMapper YAML = new YAMLMapper();

  /** A batch-job values file: any YAML map but one that names the objects itself. */
  static ValuesFile read(Path path) throws ConfigException {
    ValuesFile values = load(path);
    String chart = chartNamed(path);
    if (chart != null && !chart.equals("batch-job")) {
      throw new ConfigException(
          path
              + " is a "
              + chart
              + " values file (its first line: # chart: "
              + chart
              + ")"
              + (chart.equals("user-pod") ? ": start it with datapass user start " + path : ""));
    }
    if (!values.text("fullnameOverride").isEmpty()) {
      throw new ConfigException(
          path + ": fullnameOverride: datapass names each submission itself (--name); remove it");
    }
    return values;
  }

  /** Any chart's values file: a readable YAML map (an empty file is an empty map). */
  public static ValuesFile load(Path path) throws ConfigException {
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new ConfigException(path + ": no such values file (or it cannot be read)");
    }
    JsonNode root;
    try {
      root = YAML.readTree(path.toFile());
    } catch (IOException e) {
      throw new ConfigException(path + ": not YAML: " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = YAML.createObjectNode();
    }
    if (!root.isObject()) {
      throw new ConfigException(path + ": a values file is a YAML map (key: value)");
    }
    return new ValuesFile(path, root);
  }

  /** The chart the file's first line names, {@code # chart: NAME} (values/*.yaml do); or null. */
  static String chartNamed(Path path) throws ConfigException {
    try (var lines = Files.lines(path)) {
      String first = lines.findFirst().orElse("");
      return first.startsWith("# chart: ") ? first.substring("# chart: ".length()).strip() : null;
    } catch (IOException | java.io.UncheckedIOException e) {
      return null;
    }
  }

  String experiment() {
    return text("submission", "experiment");
  }

  String user() {
    return text("submission", "user");
  }

  /** {@code output.uploadTo}, or "" when the values store no outputs. */
  String uploadTo() {
    return text("output", "uploadTo");
  }

  /** {@code manifest.inputs}: what every task gets. */
  List<JsonNode> sharedInputs() {
    List<JsonNode> inputs = new ArrayList<>();
    root.path("manifest").path("inputs").forEach(inputs::add);
    return inputs;
  }

  /** The scalar at {@code keys}, as text; "" when it is absent or not a scalar. */
  public String text(String... keys) {
    JsonNode node = root;
    for (String key : keys) {
      node = node.path(key);
    }
    return node.isValueNode() ? node.asText() : "";
  }
}
