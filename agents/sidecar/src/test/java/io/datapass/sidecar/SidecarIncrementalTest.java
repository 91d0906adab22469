package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --upload-during-run} and the upload ledger, storing on a mounted path: the sidecar
 * in-process around real bash payloads under the wrapper, which wait for the test's go-ahead where
 * the test must see an upload happen while they run.
 */
@Timeout(90)
class SidecarIncrementalTest {
  @TempDir Path dir;
  private Path workdir;
  private Path stored;
  private Path stateDir;
  private Path go;
  private BackendReceiver backend;

  @BeforeEach
  void setUp() throws IOException {
    workdir = Files.createDirectories(dir.resolve("workdir"));
    stored = dir.resolve("stored");
    stateDir = dir.resolve("sidecar-state");
    go = dir.resolve("go");
    backend = BackendReceiver.start();
    Files.writeString(workdir.resolve("ready"), "{}\n"); // as a download init container does
  }

  @AfterEach
  void stopBackend() {
    backend.close();
  }

  private SidecarRun sidecar(String... extra) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--workdir",
                workdir.toString(),
                "--port",
                Integer.toString(BackendReceiver.freePort()),
                "--upload-to",
                stored + "/",
                "--backend-url",
                backend.url(),
                "--job",
                "job-42",
                "--retries",
                "0",
                "--grace-seconds",
                "5"));
    args.addAll(List.of(extra));
    return SidecarRun.start(Map.of(), args);
  }

  private SidecarRun duringRun() throws IOException {
    return sidecar(
        "--upload-during-run", "--settle-seconds", "1", "--state-dir", stateDir.toString());
  }

  /** Bash that waits for the test's go-ahead (a minute at most). */
  private String awaitGo() {
    return "for i in $(seq 1 1200); do [ -e " + go + " ] && break; sleep 0.05; done; ";
  }

  private Path storedFile(String name) {
    return stored.resolve("job-42").resolve(name);
  }

  /** Waits until {@code file} holds {@code content}: uploaded while the payload runs. */
  private static void awaitContent(Path file, String content) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isRegularFile(file) && Files.readString(file).equals(content)) {
        return;
      }
      Thread.sleep(50);
    }
    assertThat(file).as("uploaded during the run").hasContent(content);
  }

  private SidecarRun.Result finish(SidecarRun sidecar, Payload payload) throws Exception {
    Files.writeString(go, "");
    assertThat(payload.await()).isZero();
    payload.close();
    return sidecar.await();
  }

  @Test
  void aFileRewrittenAfterItsUploadDuringTheRunEndsWithItsFinalBytes() throws Exception {
    SidecarRun sidecar = duringRun();
    Payload payload =
        Payload.start(
            workdir,
            dir,
            "echo 'first half' > $WORKDIR/output/result.txt; "
                + awaitGo()
                + "echo 'the whole result' > $WORKDIR/output/result.txt");
    awaitContent(storedFile("result.txt"), "first half\n");
    assertThat(sidecar.isRunning()).isTrue();

    SidecarRun.Result result = finish(sidecar, payload);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.json().get("state").asText()).isEqualTo("DONE");
    assertThat(storedFile("result.txt")).hasContent("the whole result");
    JsonNode output = outputNamed(result.json(), "result.txt");
    assertThat(output.get("bytes").asLong()).isEqualTo(17);
    assertThat(output.get("alreadyStored").asBoolean()).isFalse();
    try (var files = Files.walk(stored)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .as("no temporary copy left")
          .containsExactlyInAnyOrder("result.txt", "log", "error");
    }
  }

  @Test
  void aFileTheSameAtTheEndIsNotSentAgain() throws Exception {
    SidecarRun sidecar = duringRun();
    Payload payload =
        Payload.start(workdir, dir, "echo kept > $WORKDIR/output/kept.txt; " + awaitGo());
    awaitContent(storedFile("kept.txt"), "kept\n");
    Object uploaded = Files.readAttributes(storedFile("kept.txt"), "unix:ino");

    SidecarRun.Result result = finish(sidecar, payload);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(Files.readAttributes(storedFile("kept.txt"), "unix:ino")).isEqualTo(uploaded);
  }

  @Test
  void aFileRenamedAfterItsUploadLeavesNoObjectUnderItsEarlierName() throws Exception {
    SidecarRun sidecar = duringRun();
    Payload payload =
        Payload.start(
            workdir,
            dir,
            "echo 'half written' > $WORKDIR/output/big.dat.part; "
                + awaitGo()
                + "echo 'whole' >> $WORKDIR/output/big.dat.part; "
                + "mv $WORKDIR/output/big.dat.part $WORKDIR/output/big.dat");
    awaitContent(storedFile("big.dat.part"), "half written\n");

    SidecarRun.Result result = finish(sidecar, payload);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(storedFile("big.dat")).hasContent("half written\nwhole");
    assertThat(storedFile("big.dat.part")).doesNotExist();
  }

  @Test
  void anObjectReplacedBySomeoneElseAfterItsUploadIsKeptAndTheRunRefused() throws Exception {
    SidecarRun sidecar = duringRun();
    Payload payload =
        Payload.start(
            workdir,
            dir,
            "echo v1 > $WORKDIR/output/r.txt; " + awaitGo() + "echo v2 > $WORKDIR/output/r.txt");
    awaitContent(storedFile("r.txt"), "v1\n");
    Files.writeString(storedFile("r.txt"), "another writer's\n");

    SidecarRun.Result result = finish(sidecar, payload);

    assertThat(result.exitCode()).as("no rerun changes that: not retried").isEqualTo(2);
    assertThat(result.json().get("status").asText()).isEqualTo("refused");
    assertThat(result.json().get("state").asText()).isEqualTo("ERROR");
    assertThat(result.json().get("detail").asText())
        .contains("1 of 3 outputs not stored", "r.txt was replaced by someone else");
    assertThat(storedFile("r.txt")).hasContent("another writer's");
  }

  @Test
  void aRestartedSidecarReplacesItsOwnChangedOutputWithTheLedgerAndRefusesWithoutIt()
      throws Exception {
    SidecarRun first = sidecar("--state-dir", stateDir.toString());
    try (Payload payload =
        Payload.start(
            workdir, dir, "echo v1 > $WORKDIR/output/a.txt; echo b > $WORKDIR/output/b.txt")) {
      payload.await();
    }
    assertThat(first.await().exitCode()).isZero();
    Files.writeString(workdir.resolve("output/a.txt"), "v2\n"); // changed since it was stored

    SidecarRun.Result withoutLedger = sidecar().await();
    assertThat(withoutLedger.exitCode()).as(withoutLedger.err()).isEqualTo(2);
    assertThat(storedFile("a.txt")).hasContent("v1");

    SidecarRun.Result withLedger = sidecar("--state-dir", stateDir.toString()).await();
    assertThat(withLedger.exitCode()).as(withLedger.err()).isZero();
    assertThat(storedFile("a.txt")).hasContent("v2");
    assertThat(outputNamed(withLedger.json(), "a.txt").get("alreadyStored").asBoolean()).isFalse();
    assertThat(outputNamed(withLedger.json(), "b.txt").get("alreadyStored").asBoolean()).isTrue();
  }

  private static JsonNode outputNamed(JsonNode report, String file) {
    for (JsonNode output : report.get("outputs")) {
      if (output.get("file").asText().equals(file)) {
        return output;
      }
    }
    throw new AssertionError(file + " not among the outputs: " + report.get("outputs"));
  }
}
