package io.datapass.cli.submit;

import io.datapass.cli.submit.InputList.TaskInput;
import io.datapass.common.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whom a chart's refusal is about: a task's input (its file and line), a {@code --set}, else the
 * values file. The chart names the value (manifest.tasks[3], '/payload': 'comand'); this maps it
 * back to what the user wrote.
 */
final class ChartRefusal {
  private static final Pattern TASK = Pattern.compile("manifest\\.tasks\\[(\\d+)]");
  private static final String PREFIX = "the chart refuses these values: ";

  private ChartRefusal() {}

  static ConfigException blamed(
      ConfigException refused,
      Path values,
      List<TaskInput> inputs,
      List<Map.Entry<String, String>> sets) {
    String message = refused.getMessage();
    String reason = message.startsWith(PREFIX) ? message.substring(PREFIX.length()) : message;
    Matcher task = TASK.matcher(reason);
    if (task.find()) {
      int index = Integer.parseInt(task.group(1));
      if (index < inputs.size()) {
        return new ConfigException(
            inputs.get(index).origin() + ": the chart refuses this input: " + reason);
      }
    }
    for (Map.Entry<String, String> set : sets) {
      if (names(reason, set.getKey())) {
        return new ConfigException(
            "--set " + set.getKey() + "=" + set.getValue() + ": the chart refuses it: " + reason);
      }
    }
    return new ConfigException(values + ": " + message);
  }

  /** Whether the reason names the key: its dotted path, or its last name in the schema's words. */
  private static boolean names(String reason, String key) {
    String last = key.substring(key.lastIndexOf('.') + 1);
    String parent = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : "";
    return reason.contains(key)
        || reason.contains("/" + key.replace('.', '/') + "'")
        || (reason.contains("'" + last + "'")
            && reason.contains("'/" + parent.replace('.', '/') + "'"));
  }
}
