package io.datapass.cli.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.datapass.cli.Invocation;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The values the command adds after the experiment's file (and before {@code --set}): the
 * submission's name and user, one task per {@code --inputs} entry, and the uploaded input zip in
 * the place of the file's own. Helm replaces lists whole, so {@code manifest.inputs} is written in
 * full.
 */
final class Overrides {
  private static final YAMLMapper YAML = new YAMLMapper();

  private Overrides() {}

  /** Who submits, for the datapass.io/user label when the values file names nobody; or null. */
  static String submitter(Invocation invocation) {
    for (String variable : List.of("DATAPASS_USER", "GITLAB_USER_LOGIN", "USER")) {
      if (invocation.env(variable) != null) {
        return invocation.env(variable);
      }
    }
    return null;
  }

  static ObjectNode of(
      String name, String user, List<String> taskInputs, ValuesFile values, URI inputZip) {
    ObjectNode root = YAML.createObjectNode();
    ObjectNode submission = root.putObject("submission").put("name", name);
    if (values.user().isEmpty() && user != null) {
      submission.put("user", user);
    }
    if (!taskInputs.isEmpty()) {
      ArrayNode tasks = root.withObjectProperty("manifest").putArray("tasks");
      for (String input : taskInputs) {
        tasks.addObject().putArray("inputs").addObject().put("source", input);
      }
    }
    if (inputZip != null) {
      root.withObjectProperty("manifest").set("inputs", withZip(values.sharedInputs(), inputZip));
    }
    return root;
  }

  /** The shared inputs with the zip in the place of an earlier input zip, else added last. */
  private static ArrayNode withZip(List<JsonNode> inputs, URI zip) {
    ArrayNode result = YAML.createArrayNode();
    boolean placed = false;
    for (JsonNode input : inputs) {
      if (!placed && InputUpload.isInputZip(InputUpload.source(input))) {
        result.add(((ObjectNode) input.deepCopy()).put("source", zip.toString()));
        placed = true;
      } else {
        result.add(input);
      }
    }
    if (!placed) {
      result.addObject().put("source", zip.toString()).put("unpack", true);
    }
    return result;
  }

  static Path write(ObjectNode overrides, Path file) throws IOException {
    YAML.writeValue(file.toFile(), overrides);
    return file;
  }

  static String yaml(ObjectNode overrides) throws IOException {
    return YAML.writeValueAsString(overrides);
  }
}
