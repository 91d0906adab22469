package io.datapass.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A manifest of the wrong shape is one line that names the field, what was found, what is expected
 * and the line; a misspelt field is named with the closest known one. ("¶" in the YAML below stands
 * for a line break, ">" for a TAB.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManifestShapeErrorsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "inputs:¶  source: /x/a"
            + "| inputs (line 2): found a mapping, expected a list of inputs, each line starting"
            + " '- source:'",
        "inputs: /x/a" + "| inputs (line 1): found the text '/x/a', expected a list of inputs",
        "tasks:¶  inputs: [{source: /x/a}]"
            + "| tasks (line 2): found a mapping, expected a list of tasks",
        "inputs:¶>- source: /x/a"
            + "|  (line 2, column 1): not valid YAML: a TAB indents this line; YAML indents with"
            + " spaces",
        "''| : the manifest is empty; expected a mapping with 'inputs' (or 'tasks')",
        "'# only a comment'| : the manifest is empty",
        "- source: /x/a"
            + "|  (line 1): found a list, expected a mapping with 'inputs' or 'tasks' (write"
            + " 'inputs:' above the list)",
        "inputs:¶  - sorce: http://h/a"
            + "| inputs[0] (line 2): unknown field 'sorce', did you mean 'source'? (known:"
            + " checksum, source, target, unpack)",
        "inptus:¶  - source: /x/a"
            + "|  (line 1): unknown field 'inptus', did you mean 'inputs'? (known: inputs,"
            + " parallel, retries, tasks)",
        "tasks:¶  - inptus: [{source: /x/a}]"
            + "| tasks[0] (line 2): unknown field 'inptus', did you mean 'inputs'?",
        "inputs:¶  - source: /x/a¶    unpack: maybe"
            + "| inputs[0].unpack (line 3): found the text 'maybe', expected true or false",
        "parallel: many¶inputs: [{source: /x/a}]"
            + "| parallel (line 1): found the text 'many', expected a whole number",
        "inputs:¶  - /x/a"
            + "| inputs[0] (line 2): found the text '/x/a', expected a mapping with 'source'",
        "inputs:¶  - target: a" + "| inputs[0] (line 2): missing field 'source'"
      })
  void saysFieldFoundExpectedAndLineOnOneLine(String yaml, String message) throws IOException {
    Path manifest =
        Files.writeString(dir.resolve("inputs.yaml"), yaml.replace("¶", "\n").replace(">", "\t"));
    AgentRun run = AgentRun.of(AgentRun.args(manifest, dir.resolve("input"), dir.resolve("ready")));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    // a message starting "(line" or ":" is about the manifest itself, not one of its fields
    String expected =
        "download: "
            + manifest
            + (message.startsWith("(") ? " " : message.startsWith(":") ? "" : ": ")
            + message;
    assertThat(run.err()).contains(expected);
    assertThat(run.err().strip().lines()).as("one line").hasSize(1);
  }
}
