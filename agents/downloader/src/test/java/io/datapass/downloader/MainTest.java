package io.datapass.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private AgentRun runWith(String manifestYaml, String... extra) throws IOException {
    Path manifest = write("manifest.yaml", manifestYaml);
    return AgentRun.of(AgentRun.args(manifest, dir.resolve("input"), dir.resolve("ready"), extra));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Nested
  @DisplayName("usage and manifest errors exit 2 and name what is wrong")
  class ConfigErrors {
    @Test
    void helpPrintsUsageAndExitCodes() {
      AgentRun run = AgentRun.of("--help");
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).contains("--manifest", "--task-index", "Exit codes: 0");
    }

    @Test
    void missingManifestFlag() {
      AgentRun run = AgentRun.of("--dest", dir.toString());
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("--manifest is required");
    }

    @Test
    void unknownFlag() {
      AgentRun run = AgentRun.of("--manifets", "x");
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("manifets");
    }

    @Test
    void misspelledFieldIsNamedWithItsPathAndLine() throws IOException {
      Path src = write("data/a.txt", "a");
      AgentRun run = runWith("inputs:\n  - source: " + src + "\n    chcksum: adler32:00000001\n");
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err())
          .contains(
              "manifest.yaml: inputs[0] (line 3): unknown field 'chcksum', did you mean"
                  + " 'checksum'? (known: checksum, source, target, unpack)");
      assertThat(dir.resolve("ready")).doesNotExist();
    }

    @Test
    void missingSourceIsNamed() throws IOException {
      AgentRun run = runWith("inputs:\n  - source: /x/a\n  - target: b.txt\n");
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("inputs[1]", "missing field 'source'");
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "adler32                | expected 'algorithm:hexvalue'",
          "crc64:0011223344556677 | unknown checksum algorithm 'crc64'",
          "md5:1234               | an md5 checksum has 32 hex digits, got '1234'",
          "sha256:zz              | an sha256 checksum has 64 hex digits, got 'zz'",
          "crc32c:zz              | a crc32c checksum has 8 hex digits, got 'zz'"
        })
    void badChecksumSpecIsNamed(String spec, String message) throws IOException {
      AgentRun run = runWith("inputs:\n  - source: /x/a\n    checksum: \"" + spec + "\"\n");
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("inputs[0].checksum: " + message);
    }

    @Test
    void targetEscapingTheInputDirectory() throws IOException {
      AgentRun run = runWith("inputs:\n  - source: /x/a\n    target: ../../etc/passwd\n");
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err())
          .contains("inputs[0].target '../../etc/passwd' must stay inside the input directory");
    }

    @Test
    void unknownScheme() throws IOException {
      Path src = write("data/a.txt", "a");
      AgentRun run = runWith("inputs:\n  - source: " + src + "\n  - source: s3://bucket/key\n");
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err())
          .contains("inputs[1].source: unsupported scheme 's3' in s3://bucket/key");
    }

    @Test
    void taskIndexOutOfRange() throws IOException {
      AgentRun run =
          runWith(
              "tasks:\n  - inputs: [{source: /x/a}]\n  - inputs: [{source: /x/b}]\n",
              "--task-index",
              "2");
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("task index 2 is out of range: the manifest has 2 tasks");
    }

    @Test
    void badJobCompletionIndexIsNamed() throws IOException {
      Path manifest = write("manifest.yaml", "tasks:\n  - inputs: [{source: /x/a}]\n");
      AgentRun run =
          AgentRun.of(
              Map.of("JOB_COMPLETION_INDEX", "first"),
              AgentRun.args(manifest, dir.resolve("input"), dir.resolve("ready")));
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err())
          .contains("JOB_COMPLETION_INDEX must be a whole number of at least 0, got 'first'");
    }

    @Test
    void yamlSyntaxError() throws IOException {
      AgentRun run = runWith("inputs:\n  - source: [unclosed\n");
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("manifest.yaml");
    }
  }

  @Nested
  @DisplayName("local files")
  class LocalFiles {
    @Test
    void fetchesVerifiesAndWritesReadyLast() throws Exception {
      byte[] content = "run 1 payload\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
      Path src = dir.resolve("store/run1.dat");
      Files.createDirectories(src.getParent());
      Files.write(src, content);
      AgentRun run =
          runWith(
              "inputs:\n  - source: "
                  + src
                  + "\n    target: data/run1.dat\n    checksum: sha256:"
                  + sha256(content)
                  + "\n");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(dir.resolve("input/data/run1.dat")).hasBinaryContent(content);
      JsonNode summary = new ObjectMapper().readTree(run.out());
      assertThat(summary.get("status").asText()).isEqualTo("ok");
      assertThat(summary.at("/files/0/checksum").asText()).isEqualTo("sha256:" + sha256(content));
      assertThat(summary.at("/files/0/bytes").asLong()).isEqualTo(content.length);
      assertThat(Files.readString(dir.resolve("ready"))).contains("\"status\":\"ok\"");
    }

    @Test
    void checksumMismatchFailsAndLeavesNothingUnderTheFinalName() throws Exception {
      Path src = write("store/a.dat", "actual bytes");
      AgentRun run =
          runWith(
              "inputs:\n  - source: " + src + "\n    checksum: sha256:" + "0".repeat(64) + "\n");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("checksum mismatch for " + src.toUri());
      assertThat(dir.resolve("input/a.dat")).doesNotExist();
      try (var left = Files.list(dir.resolve("input"))) {
        assertThat(left).isEmpty();
      }
      assertThat(dir.resolve("ready")).doesNotExist();
      assertThat(new ObjectMapper().readTree(run.out()).get("failed").asInt()).isEqualTo(1);
    }

    @Test
    void missingFileFailsNamingIt() throws IOException {
      AgentRun run = runWith("inputs:\n  - source: " + dir.resolve("nope.root") + "\n");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("file not found: " + dir.resolve("nope.root"));
    }

    @Test
    void staleReadyFileIsRemovedWhenARunFails() throws IOException {
      write("ready", "old");
      AgentRun run = runWith("inputs:\n  - source: " + dir.resolve("nope.root") + "\n");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(dir.resolve("ready")).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        value = {
          "a misspelt manifest field | inputs:/  - sorce: x | manifest.yaml | |",
          "a missing manifest | inputs: [] | absent.yaml | |",
          "a bad flag | inputs: [] | manifest.yaml | --parallel | many",
          "a task index out of range | inputs: [] | manifest.yaml | --task-index | -1"
        })
    void staleReadyFileIsRemovedBeforeAConfigErrorToo(
        String why, String yaml, String manifestName, String flag, String value)
        throws IOException {
      write("ready", "{}");
      write("manifest.yaml", yaml.replace("/", "\n") + "\n"); // "/" stands for a line break
      String[] extra = flag == null ? new String[0] : new String[] {flag, value};
      AgentRun run =
          AgentRun.of(
              AgentRun.args(
                  dir.resolve(manifestName), dir.resolve("input"), dir.resolve("ready"), extra));
      assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
      assertThat(dir.resolve("ready"))
          .as("a payload must never start on a previous run's inputs")
          .doesNotExist();
    }

    @Test
    void readyFileGivenWithEqualsIsRemovedToo() throws IOException {
      Path ready = write("elsewhere/ready", "{}");
      AgentRun run =
          AgentRun.of("--manifest", dir.resolve("absent.yaml").toString(), "--ready-file=" + ready);
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(ready).doesNotExist();
    }

    @Test
    void anAbbreviatedFlagIsAUsageErrorNotAnotherSpelling() throws IOException {
      Path ready = write("ready", "{}");
      AgentRun run =
          AgentRun.of(
              "--manifest",
              write("manifest.yaml", "inputs: [\n").toString(),
              "--ready",
              ready.toString());
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("Unrecognized option: --ready");
    }

    @Test
    void helpRemovesNothing() throws IOException {
      Path ready = write("ready", "{}");
      assertThat(AgentRun.of("--help", "--ready-file", ready.toString()).exitCode()).isZero();
      assertThat(ready).exists();
    }
  }

  @Nested
  @DisplayName("Indexed Job task selection")
  class Tasks {
    private final String manifest =
        "inputs:\n  - source: %s/shared.txt\ntasks:\n"
            + "  - inputs: [{source: %s/t0.txt}]\n  - inputs: [{source: %s/t1.txt}]\n  - inputs: [{source: %s/t2.txt}]\n";

    private AgentRun runTask(Map<String, String> env, String... extra) throws IOException {
      for (String name : new String[] {"shared", "t0", "t1", "t2"}) {
        write("store/" + name + ".txt", name);
      }
      Path store = dir.resolve("store");
      Path m = write("manifest.yaml", manifest.formatted(store, store, store, store));
      return AgentRun.of(env, AgentRun.args(m, dir.resolve("input"), dir.resolve("ready"), extra));
    }

    @Test
    void jobCompletionIndexPicksTheTaskAndKeepsSharedInputs() throws IOException {
      AgentRun run = runTask(Map.of("JOB_COMPLETION_INDEX", "1"));
      assertThat(run.exitCode()).as(run.err()).isZero();
      try (var files = Files.list(dir.resolve("input"))) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("shared.txt", "t1.txt");
      }
    }

    @Test
    void flagWinsOverTheEnvironment() throws IOException {
      AgentRun run = runTask(Map.of("JOB_COMPLETION_INDEX", "1"), "--task-index", "2");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(dir.resolve("input/t2.txt")).hasContent("t2");
      assertThat(dir.resolve("input/t1.txt")).doesNotExist();
    }

    @Test
    void severalTasksWithoutAnIndexIsAConfigError() throws IOException {
      AgentRun run = runTask(Map.of());
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err())
          .contains("the manifest has 3 tasks: set --task-index or JOB_COMPLETION_INDEX");
    }
  }
}
