package io.datapass.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a new user typing a flag or a manifest wrong is told: exit 2, the flag or field named. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NewUserErrorsTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private AgentRun runWith(String manifestYaml, String... extra) throws IOException {
    Path manifest = write("inputs.yaml", manifestYaml);
    return AgentRun.of(AgentRun.args(manifest, dir.resolve("input"), dir.resolve("ready"), extra));
  }

  @ParameterizedTest
  @CsvSource({"file:local.txt", "file:data/a.txt", "file://host/abs/a.txt"})
  void aFileUriThatIsNotAnAbsolutePathNamesTheFieldAndTheRightSpelling(String source)
      throws IOException {
    AgentRun run = runWith("inputs:\n  - source: /x/a\n  - source: " + source + "\n");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains(dir.resolve("inputs.yaml") + ": inputs[1].source: ", source)
        .contains("file:///abs/path", "plain path")
        .doesNotContain("URI is not hierarchical");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--gcs-endpoint | notaurl",
        "--gcs-endpoint | ftp://host/",
        "--gcs-endpoint | http:///nohost",
        "STORAGE_EMULATOR_HOST | notaurl"
      })
  void aGcsEndpointThatIsNoHttpUrlIsAUsageError(String name, String value) throws IOException {
    Path manifest = write("inputs.yaml", "inputs:\n  - source: gs://bucket/a\n");
    boolean flag = name.startsWith("--");
    String[] extra = flag ? new String[] {name, value, "--retries", "0"} : new String[0];
    Map<String, String> env = flag ? Map.of() : Map.of(name, value);
    AgentRun run =
        AgentRun.of(
            env, AgentRun.args(manifest, dir.resolve("input"), dir.resolve("ready"), extra));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(name + " '" + value + "'", "http");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--gcs-endpoint | http://gcs.example.org:4443",
        "STORAGE_EMULATOR_HOST | gcs.example.org:4443"
      })
  void realGcsCredentialsOnAPlainHttpEndpointAreAUsageError(String name, String value)
      throws IOException {
    Path manifest = write("inputs.yaml", "inputs:\n  - source: gs://bucket/a\n");
    Path key = write("key.json", "{}");
    boolean flag = name.startsWith("--");
    Map<String, String> env =
        flag
            ? Map.of("GOOGLE_APPLICATION_CREDENTIALS", key.toString())
            : Map.of(name, value, "GOOGLE_APPLICATION_CREDENTIALS", key.toString());
    String[] extra = flag ? new String[] {name, value, "--retries", "0"} : new String[0];
    AgentRun run =
        AgentRun.of(
            env, AgentRun.args(manifest, dir.resolve("input"), dir.resolve("ready"), extra));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains(name + ": the GCS endpoint", "plain http", "DATAPASS_GCS_PLAIN_HTTP_CREDENTIALS");
  }

  @Test
  void anUnknownGcsHostIsSaidToBeOne() throws IOException {
    AgentRun run =
        runWith(
            "inputs:\n  - source: gs://bucket/a\n",
            "--gcs-endpoint",
            "http://no-such-host.invalid:4443",
            "--retries",
            "0");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains("unknown host no-such-host.invalid (check this machine's network and DNS");
  }

  @Test
  void destThatIsAFileIsAUsageError() throws IOException {
    Path file = write("a-file", "x");
    Path src = write("store/a.txt", "a");
    Path manifest = write("inputs.yaml", "inputs:\n  - source: " + src + "\n");
    AgentRun run = AgentRun.of(AgentRun.args(manifest, file, dir.resolve("ready")));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("--dest " + file + " is not a directory");
  }

  @Test
  void destThatCannotBeCreatedSaysWhy() throws IOException {
    write("a-file", "x");
    Path dest = dir.resolve("a-file/sub");
    Path src = write("store/a.txt", "a");
    Path manifest = write("inputs.yaml", "inputs:\n  - source: " + src + "\n");
    AgentRun run = AgentRun.of(AgentRun.args(manifest, dest, dir.resolve("ready")));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("--dest " + dest + " cannot be created: ");
  }

  @Test
  void aDestWhoseParentIsMissingIsRefusedAndNothingIsCreated() throws IOException {
    Path dest = dir.resolve("nonexist/dir");
    Path src = write("store/a.txt", "a");
    Path manifest = write("inputs.yaml", "inputs:\n  - source: " + src + "\n");
    AgentRun run = AgentRun.of(AgentRun.args(manifest, dest, dir.resolve("ready")));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "--dest "
                + dest
                + ": its parent "
                + dest.getParent()
                + " does not exist (only --dest itself is created)");
    assertThat(dest.getParent()).doesNotExist();
  }

  @Test
  void theDestItselfIsCreatedUnderAParentThatExists() throws IOException {
    Path dest = dir.resolve("input");
    Path src = write("store/a.txt", "a");
    Path manifest = write("inputs.yaml", "inputs:\n  - source: " + src + "\n");
    AgentRun run = AgentRun.of(AgentRun.args(manifest, dest, dir.resolve("ready")));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(dest.resolve("a.txt")).hasContent("a");
  }

  @Test
  void aTaskIndexFlagOnAManifestWithoutTasksIsAUsageError() throws IOException {
    Path src = write("store/a.txt", "a");
    Path manifest = write("inputs.yaml", "inputs:\n  - source: " + src + "\n");
    AgentRun run =
        AgentRun.of(
            AgentRun.args(
                manifest, dir.resolve("input"), dir.resolve("ready"), "--task-index", "5"));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            manifest
                + ": --task-index 5 given, but the manifest has no tasks (only shared inputs)");
    assertThat(dir.resolve("ready")).doesNotExist();
  }

  @Test
  void aJobCompletionIndexOnAManifestWithoutTasksFetchesTheSharedInputs() throws IOException {
    Path src = write("store/a.txt", "a");
    Path manifest = write("inputs.yaml", "inputs:\n  - source: " + src + "\n");
    AgentRun run =
        AgentRun.of(
            Map.of("JOB_COMPLETION_INDEX", "5"),
            AgentRun.args(manifest, dir.resolve("input"), dir.resolve("ready")));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(dir.resolve("input/a.txt")).hasContent("a");
  }

  @Test
  void aTargetWithATrailingSlashIsADirectory() throws IOException {
    Path src = write("store/a.txt", "a");
    AgentRun run = runWith("inputs:\n  - source: " + src + "\n    target: sub/\n");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(dir.resolve("input/sub/a.txt")).hasContent("a");
  }

  @Test
  void aFlagWithoutItsValueIsNamedWithDashes() {
    AgentRun run = AgentRun.of("--manifest");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--manifest needs a value");
  }

  @Test
  void aNumberTooLargeIsSaidToBeOutOfRange() throws IOException {
    AgentRun run = runWith("inputs:\n  - source: /x/a\n", "--retries", "99999999999");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--retries must be a whole number between 0 and 100, got '99999999999'");
  }

  /** The run's own flags, without the --progress-interval AgentRun.args gives. */
  private AgentRun runWithProgressInterval(String interval) throws IOException {
    Path src = write("store/a.txt", "a");
    Path manifest = write("inputs.yaml", "inputs:\n  - source: " + src + "\n");
    return AgentRun.of(
        "--manifest",
        manifest.toString(),
        "--dest",
        dir.resolve("input").toString(),
        "--ready-file",
        dir.resolve("ready").toString(),
        "--progress-interval",
        interval);
  }

  @Test
  void aFractionalProgressIntervalIsTaken() throws IOException {
    AgentRun run = runWithProgressInterval("0.5");
    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  @Test
  void aProgressIntervalThatIsNoNumberSaysTheRange() throws IOException {
    AgentRun run = runWithProgressInterval("often");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "--progress-interval must be a number of seconds between 0.1 and 3600, got 'often'");
  }

  @Test
  void anEmptyInputListIsSaidToBeOne() throws IOException {
    AgentRun run = runWith("inputs: []\n");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(dir.resolve("inputs.yaml") + ": the manifest has no inputs");
  }

  @Test
  void aBadChecksumReadsWell() throws IOException {
    AgentRun run = runWith("inputs:\n  - source: /x/a\n    checksum: adler32:x\n");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            dir.resolve("inputs.yaml")
                + ": inputs[0].checksum: an adler32 checksum has 8 hex digits, got 'x'");
  }

  @Test
  void aMissingTokenFileNamesTheFlagAndTheReason() throws IOException {
    Path missing = dir.resolve("nope");
    AgentRun run = runWith("inputs:\n  - source: /x/a\n", "--http-token-file", missing.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--http-token-file " + missing + ": no such file");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "inputs:/  - source: ftp://h/a | inputs[0].source: unsupported scheme 'ftp'",
        "inputs:/  - source: /x/a/    target: ../escape | inputs[0].target '../escape' must stay inside",
        "tasks:/  - inputs: [{source: /x/a}]/  - inputs: [{source: /x/b}] | the manifest has 2 tasks"
      })
  void everyManifestErrorStartsWithTheFileName(String yaml, String message) throws IOException {
    AgentRun run = runWith(yaml.replace("/  ", "\n  ") + "\n"); // "/  " stands for a line break
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(dir.resolve("inputs.yaml") + ": " + message);
  }

  @Test
  void theReadmeQuotesTheRealMessage() throws IOException {
    String readme = Files.readString(Path.of("../../README.md"));
    Matcher quoted =
        Pattern.compile("closest known one, e\\.g\\.\\s+`(inputs\\.yaml: [^`]+)`").matcher(readme);
    assertThat(quoted.find()).as("the README's example of a manifest error").isTrue();
    AgentRun run =
        runWith("inputs:\n  - source: /x/a\n  - source: /x/b\n    chcksum: adler32:00000001\n");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(dir.resolve("inputs.yaml") + quoted.group(1).substring("inputs.yaml".length()));
  }
}
