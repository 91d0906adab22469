package io.datapass.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local path the agent cannot write is a usage error (exit 2) found before any transfer, saying
 * what failed on what and what to do. /proc/sys stands for an unwritable directory: the tests run
 * as root, whom file modes do not stop.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalSetupErrorsTest {
  private static final Path UNWRITABLE = Path.of("/proc/sys");

  @TempDir Path dir;
  private Path source;
  private Path manifest;

  private void manifest() throws IOException {
    source = Files.writeString(dir.resolve("a.txt"), "a");
    manifest =
        Files.writeString(dir.resolve("inputs.yaml"), "inputs:\n  - source: " + source + "\n");
  }

  @Test
  void anUnwritableReadyFileDirectoryIsFoundBeforeAnyTransfer() throws IOException {
    manifest();
    AgentRun run =
        AgentRun.of(AgentRun.args(manifest, dir.resolve("input"), UNWRITABLE.resolve("ready")));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains("--ready-file " + UNWRITABLE.resolve("ready"), "cannot write in /proc/sys")
        .contains("give a --ready-file in a directory this agent can write")
        .doesNotContain("Exception");
    assertThat(dir.resolve("input/a.txt")).doesNotExist();
  }

  @Test
  void anUnwritableDestIsFoundBeforeAnyTransfer() throws IOException {
    manifest();
    AgentRun run = AgentRun.of(AgentRun.args(manifest, UNWRITABLE, dir.resolve("ready")));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains("--dest /proc/sys: cannot write in it")
        .contains("give --dest a directory this agent can write");
  }

  @Test
  void aDestThatCannotBeCreatedSaysWhatToDo() throws IOException {
    manifest();
    Path dest = UNWRITABLE.resolve("input");
    AgentRun run = AgentRun.of(AgentRun.args(manifest, dest, dir.resolve("ready")));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains("--dest " + dest + " cannot be created: ")
        .contains("give --dest a directory this agent can write");
  }
}
