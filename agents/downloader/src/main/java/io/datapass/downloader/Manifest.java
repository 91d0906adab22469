package io.datapass.downloader;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The input manifest (rendered by the chart into a ConfigMap).
 *
 * @param inputs inputs every task gets
 * @param tasks per-index inputs of an Indexed Job; empty for a plain job
 * @param parallel files fetched at once, or null for the agent's default
 * @param retries retries per file, or null for the agent's default
 */
record Manifest(List<InputSpec> inputs, List<TaskSpec> tasks, Integer parallel, Integer retries) {

  @JsonCreator
  static Manifest of(
      @JsonProperty("inputs") List<InputSpec> inputs,
      @JsonProperty("tasks") List<TaskSpec> tasks,
      @JsonProperty("parallel") Integer parallel,
      @JsonProperty("retries") Integer retries) {
    if (parallel != null && (parallel < 1 || parallel > 256)) {
      throw new IllegalArgumentException("'parallel' must be 1..256, got " + parallel);
    }
    if (retries != null && (retries < 0 || retries > 100)) {
      throw new IllegalArgumentException("'retries' must be 0..100, got " + retries);
    }
    List<InputSpec> shared = inputs == null ? List.of() : List.copyOf(inputs);
    List<TaskSpec> perTask = tasks == null ? List.of() : List.copyOf(tasks);
    if (shared.isEmpty() && perTask.isEmpty()) {
      throw new IllegalArgumentException(
          "the manifest has no inputs (give 'inputs', or 'tasks' with inputs)");
    }
    return new Manifest(shared, perTask, parallel, retries);
  }
}
