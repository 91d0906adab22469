package io.datapass.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.datapass.cli.Run;
import io.datapass.cli.Run.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lines of an inputs file that could only fail in the pod are refused at submit, by FILE:LINE. */
class InputLinesTest {
  @TempDir Path home;

  private final String ship = Run.VALUES.resolve("ship.yaml").toString();

  private Result datapass(String... args) {
    return Run.isolated(home).datapass(args);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "file:relative/run.root|not an absolute file: URI",
        "relative/path.root|a relative path",
        "gs://bucket|names no object",
        "gs://bucket/|names no object",
        "root://eos.example.org|names no object"
      })
  void aLineThatCanOnlyFailInThePodIsRefusedByFileAndLine(String line, String said)
      throws Exception {
    Path list = Files.write(home.resolve("in.txt"), List.of("gs://b/a.root", line));

    Result refused = datapass("submit", ship, "--inputs", list.toString(), "--dry-run");

    assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err()).startsWith("datapass submit: " + list + ":2: ").contains(said);
  }

  @Test
  void aCommentAfterAnInputIsSkipped() throws Exception {
    Path list =
        Files.write(
            home.resolve("in.txt"),
            List.of("gs://b/a.root   # the first run", "/mnt/c.root\t# local", "https://h/x#part"));

    Result dry = datapass("submit", ship, "--inputs", list.toString(), "--name", "c", "--dry-run");

    assertThat(dry.code()).as(dry.toString()).isZero();
    List<String> sources = new ArrayList<>();
    JsonNode tasks = Manifests.parse(dry.out()).inputManifest().path("tasks");
    tasks.forEach(t -> sources.add(t.at("/inputs/0/source").asText()));
    assertThat(sources).containsExactly("gs://b/a.root", "/mnt/c.root", "https://h/x#part");
  }

  @Test
  void anUploadPrefixWithoutAnInputDirectoryIsAUsageError() {
    Result refused = datapass("submit", ship, "--upload-input-to", "gs://bucket/in/", "--dry-run");

    assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err()).contains("--upload-input-to needs --input-dir");
  }
}
