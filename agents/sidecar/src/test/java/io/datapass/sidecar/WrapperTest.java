package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The payload wrapper run by real bash around real bash payloads. */
@Timeout(30)
class WrapperTest {
  @TempDir Path dir;
  private Path workdir;
  private Path script;

  @BeforeEach
  void extractScript() throws IOException {
    workdir = Files.createDirectories(dir.resolve("workdir"));
    script = dir.resolve(Wrapper.RESOURCE);
    Files.writeString(script, Wrapper.script());
  }

  private Process start(String payload, String... env) throws IOException {
    return start(List.of(), payload, env);
  }

  /** The wrapper run by {@code launcher} (e.g. in a PID namespace of its own), or directly. */
  private Process start(List<String> launcher, String payload, String... env) throws IOException {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of("bash", script.toString(), "bash", "-c", payload));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("DATAPASS_WORKDIR", workdir.toString());
    builder.environment().put("WORKDIR", workdir.toString());
    for (int i = 0; i < env.length; i += 2) {
      builder.environment().put(env[i], env[i + 1]);
    }
    return builder.start();
  }

  /**
   * SIGTERM only, as the kubelet sends it: {@code Process.destroy()} would also close our end of
   * the wrapper's stdout, and the wrapper's tee would die of SIGPIPE, which a container runtime
   * never does to it.
   */
  private static void sigterm(Process process) {
    process.toHandle().destroy();
  }

  private record Finished(int code, String out, String err) {}

  private Finished run(String payload, String... env) throws Exception {
    return run(List.of(), payload, env);
  }

  private Finished run(List<String> launcher, String payload, String... env) throws Exception {
    Process process = start(launcher, payload, env);
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new Finished(process.exitValue(), out, err);
  }

  @Test
  void aSucceedingPayloadLeavesStartedRunningItsOutputsAndDoneZero() throws Exception {
    Finished run =
        run(
            "echo result line; echo a warning >&2; test -e $WORKDIR/started && echo started-before");

    assertThat(run.code()).isZero();
    assertThat(workdir.resolve("started")).exists();
    assertThat(workdir.resolve("state")).hasContent("RUNNING");
    assertThat(workdir.resolve("done")).hasContent("0");
    assertThat(workdir.resolve("output/log")).hasContent("result line\nstarted-before");
    assertThat(workdir.resolve("output/error")).hasContent("a warning");
    assertThat(run.out()).isEqualTo("result line\nstarted-before\n");
    assertThat(run.err()).isEqualTo("a warning\n");
    try (var left = Files.list(workdir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("started", "state", "done", "output");
    }
  }

  @Test
  void aFailingPayloadsExitCodeGoesToDoneAndIsTheWrappersOwn() throws Exception {
    Files.writeString(
        workdir.resolve("done"), "0\n"); // a previous run's, removed before the payload starts
    Finished run = run("test -e $WORKDIR/done && echo stale done; echo failing >&2; exit 3");

    assertThat(run.code()).isEqualTo(3);
    assertThat(workdir.resolve("done")).hasContent("3");
    assertThat(workdir.resolve("output/log")).isEmptyFile();
    assertThat(workdir.resolve("output/error")).hasContent("failing");
  }

  @Test
  void theWrapperWritesRunningFirstAndNeverOverwritesThePayloadsStates() throws Exception {
    Finished run =
        run("cat $WORKDIR/state; echo LOADING > $WORKDIR/state; echo FITTING > $WORKDIR/state");

    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("RUNNING\n");
    assertThat(workdir.resolve("state")).hasContent("FITTING");
  }

  @Test
  void aPayloadThatWritesItsOwnStatesGetsNoRunningFromTheWrapper() throws Exception {
    Finished run =
        run(
            "test -e $WORKDIR/state && echo wrapper wrote a state; true",
            "DATAPASS_PAYLOAD_WRITES_STATE",
            "1");

    assertThat(run.code()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(workdir.resolve("state")).doesNotExist();
  }

  @Test
  void outputIsStreamedToTheContainerLogWhileThePayloadRuns() throws Exception {
    Process process = start("echo first; sleep 5; echo second");
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));

    assertThat(out.readLine()).isEqualTo("first");
    assertThat(process.isAlive()).isTrue();
    assertThat(workdir.resolve("done")).doesNotExist();
    process.destroy();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void sigtermIsForwardedToThePayloadWhoseExitCodeIsKept() throws Exception {
    Process process = start("trap 'echo got TERM; exit 7' TERM; echo waiting; sleep 30 & wait");
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("waiting");

    sigterm(process);

    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(7);
    assertThat(workdir.resolve("done")).hasContent("7");
    assertThat(workdir.resolve("output/log")).hasContent("waiting\ngot TERM");
  }

  @Test
  void sigtermEndsEveryProcessThePayloadStarted() throws Exception {
    Path marker = dir.resolve("child-survived");
    Process process = start("(sleep 3; touch " + marker + ") & echo started; sleep 30");
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("started");

    sigterm(process);

    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(143); // bash -c killed by SIGTERM
    assertThat(workdir.resolve("done")).hasContent("143");
    Thread.sleep(3500);
    assertThat(marker).doesNotExist();
  }

  @Test
  void healthyIsRecreatedWhileThePayloadLives() throws Exception {
    Process process = start("sleep 6", "DATAPASS_HEALTHY_INTERVAL", "1");
    Path healthy = workdir.resolve("healthy");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (!Files.exists(healthy) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(healthy).exists();
    Files.delete(healthy); // as a k-pipe liveness probe does

    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
    while (!Files.exists(healthy) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }

    assertThat(healthy).exists();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
  }

  /**
   * As in a container: the wrapper is PID 1 of a PID namespace of its own, every time, and SIGKILL
   * to the launcher kills it and everything in the namespace, as an OOM kill does.
   */
  private static final List<String> AS_PID_1 =
      "root".equals(System.getProperty("user.name"))
          ? List.of("unshare", "--pid", "--fork", "--kill-child") // as ci/test runs
          : List.of("unshare", "--user", "--map-root-user", "--pid", "--fork", "--kill-child");

  @Test
  void aRestartAfterAKillThatLeftThePipesBehindStillRunsThePayload() throws Exception {
    List<String> probe = new ArrayList<>(AS_PID_1);
    probe.add("true");
    Process unshare = new ProcessBuilder(probe).redirectErrorStream(true).start();
    String said = new String(unshare.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(unshare.waitFor(10, TimeUnit.SECONDS) && unshare.exitValue() == 0)
        .as(
            "this test runs the wrapper as PID 1 with %s (ci/test installs util-linux): %s",
            probe, said)
        .isTrue();
    Process first = start(AS_PID_1, "echo first; sleep 30");
    BufferedReader out =
        new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("first");

    first.destroyForcibly(); // SIGKILL: the wrapper writes nothing and removes nothing
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(workdir.resolve("done")).doesNotExist();

    Finished second = run(AS_PID_1, "echo second");

    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).isEqualTo("second\n");
    assertThat(workdir.resolve("done")).hasContent("0");
    assertThat(workdir.resolve("output/log")).hasContent("first\nsecond");
  }

  @Test
  void withoutACommandTheWrapperIsAUsageError() throws Exception {
    Process process = new ProcessBuilder("bash", script.toString()).start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(err).contains("usage");
  }
}
