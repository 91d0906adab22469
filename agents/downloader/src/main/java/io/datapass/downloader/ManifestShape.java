package io.datapass.downloader;

import com.fasterxml.jackson.core.JsonToken;
import io.datapass.common.ConfigException;
import io.datapass.common.Suggestions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the manifest's shape before its values are read, so that every mistake is one line: the
 * field, what was found, what is expected, the line; an unknown field is named with the closest
 * known one.
 */
final class ManifestShape {
  private enum Kind {
    TEXT("text"),
    WHOLE_NUMBER("a whole number"),
    BOOLEAN("true or false");

    final String expected;

    Kind(String expected) {
      this.expected = expected;
    }
  }

  private static final Map<String, Kind> INPUT_SCALARS =
      Map.of(
          "source", Kind.TEXT, "target", Kind.TEXT, "checksum", Kind.TEXT, "unpack", Kind.BOOLEAN);
  private static final Set<String> INPUT_FIELDS = INPUT_SCALARS.keySet();
  private static final Set<String> TASK_FIELDS = Set.of("inputs");
  private static final Set<String> MANIFEST_FIELDS =
      Set.of("inputs", "tasks", "parallel", "retries");
  private static final String INPUT_LIST = "a list of inputs, each line starting '- source:'";

  private final String file;

  private ManifestShape(String file) {
    this.file = file;
  }

  static void check(String file, YamlTree manifest) throws ConfigException {
    new ManifestShape(file).manifest(manifest);
  }

  private void manifest(YamlTree manifest) throws ConfigException {
    if (manifest == null || manifest.isNull()) {
      throw new ConfigException(
          file + ": the manifest is empty; expected a mapping with 'inputs' (or 'tasks')");
    }
    if (!manifest.isMapping()) {
      String hint = manifest.isList() ? " (write 'inputs:' above the list)" : "";
      throw new ConfigException(
          file
              + " (line "
              + manifest.line()
              + "): found "
              + manifest.describe()
              + ", expected a mapping with 'inputs' or 'tasks'"
              + hint);
    }
    knownFields("", manifest, MANIFEST_FIELDS);
    for (var field : manifest.fields().entrySet()) {
      YamlTree value = field.getValue();
      switch (field.getKey()) {
        case "inputs" -> inputs("inputs", value);
        case "tasks" -> tasks(value);
        default -> scalar(field.getKey(), value, Kind.WHOLE_NUMBER);
      }
    }
  }

  private void tasks(YamlTree tasks) throws ConfigException {
    if (tasks.isNull()) {
      return;
    }
    expectList("tasks", tasks, "a list of tasks, each line starting '- inputs:'");
    List<YamlTree> items = tasks.items();
    for (int i = 0; i < items.size(); i++) {
      String path = "tasks[" + i + "]";
      YamlTree task = items.get(i);
      expectMapping(path, task, "a mapping with 'inputs'");
      knownFields(path, task, TASK_FIELDS);
      require(path, task, "inputs");
      inputs(path + ".inputs", task.fields().get("inputs"));
    }
  }

  private void inputs(String path, YamlTree inputs) throws ConfigException {
    if (inputs.isNull()) {
      return;
    }
    expectList(path, inputs, INPUT_LIST);
    List<YamlTree> items = inputs.items();
    for (int i = 0; i < items.size(); i++) {
      String itemPath = path + "[" + i + "]";
      YamlTree input = items.get(i);
      expectMapping(itemPath, input, "a mapping with 'source'");
      knownFields(itemPath, input, INPUT_FIELDS);
      require(itemPath, input, "source");
      for (var field : input.fields().entrySet()) {
        scalar(
            itemPath + "." + field.getKey(), field.getValue(), INPUT_SCALARS.get(field.getKey()));
      }
    }
  }

  private void knownFields(String path, YamlTree mapping, Set<String> known)
      throws ConfigException {
    for (String name : mapping.fields().keySet()) {
      if (!known.contains(name)) {
        String closest = Suggestions.closest(name, known);
        throw new ConfigException(
            where(path, mapping.fieldLines().get(name))
                + "unknown field '"
                + name
                + "'"
                + (closest == null ? "" : ", did you mean '" + closest + "'?")
                + " (known: "
                + String.join(", ", new TreeSet<>(known))
                + ")");
      }
    }
  }

  private void require(String path, YamlTree mapping, String name) throws ConfigException {
    if (!mapping.fields().containsKey(name)) {
      throw new ConfigException(where(path, mapping.line()) + "missing field '" + name + "'");
    }
  }

  private void scalar(String path, YamlTree value, Kind kind) throws ConfigException {
    boolean fits =
        switch (kind) {
          case TEXT -> value.token().isScalarValue() && !value.isNull();
          case WHOLE_NUMBER -> value.token() == JsonToken.VALUE_NUMBER_INT || value.isNull();
          case BOOLEAN ->
              value.token() == JsonToken.VALUE_TRUE
                  || value.token() == JsonToken.VALUE_FALSE
                  || value.isNull();
        };
    if (!fits) {
      throw found(path, value, kind.expected);
    }
  }

  private void expectList(String path, YamlTree value, String expected) throws ConfigException {
    if (!value.isList()) {
      throw found(path, value, expected);
    }
  }

  private void expectMapping(String path, YamlTree value, String expected) throws ConfigException {
    if (!value.isMapping()) {
      throw found(path, value, expected);
    }
  }

  private ConfigException found(String path, YamlTree value, String expected) {
    return new ConfigException(
        where(path, value.line()) + "found " + value.describe() + ", expected " + expected);
  }

  /** {@code file: inputs[0] (line 2): }, or {@code file (line 1): } for the manifest itself. */
  private String where(String path, Integer line) {
    return file
        + (path.isEmpty() ? "" : ": " + path)
        + (line == null ? "" : " (line " + line + ")")
        + ": ";
  }
}
