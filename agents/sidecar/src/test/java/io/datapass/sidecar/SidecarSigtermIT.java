package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar as its container runs it ({@code java @jvm.options -jar sidecar.jar}, a process of
 * its own) sent a real SIGTERM, as the kubelet sends it to a native sidecar once the payload's
 * container has exited or the pod goes.
 */
@Timeout(120)
class SidecarSigtermIT {
  private static final Path JAR = Path.of("target/sidecar.jar");
  private static final Path JVM_OPTIONS = Path.of("../jvm.options");

  @TempDir Path dir;
  private Path workdir;
  private Path stored;

  @BeforeEach
  void setUp() throws IOException {
    assertThat(JAR).as("built by mvn package before the integration tests").exists();
    workdir = Files.createDirectories(dir.resolve("workdir"));
    stored = dir.resolve("stored");
  }

  /** The sidecar started as a child JVM; without --exit-on-done, as in a pod. */
  private Process sidecar(BackendReceiver backend, String... extra) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + JVM_OPTIONS.toAbsolutePath(),
                "-jar",
                JAR.toString(),
                "--workdir",
                workdir.toString(),
                "--port",
                Integer.toString(BackendReceiver.freePort()),
                "--backend-url",
                backend.url(),
                "--job",
                "job-9",
                "--pod",
                "job-9-0-q",
                "--retries",
                "0"));
    command.addAll(List.of(extra));
    if (!command.contains("--upload-to")) {
      command.addAll(List.of("--upload-to", stored + "/"));
    }
    return new ProcessBuilder(command)
        .redirectOutput(dir.resolve("sidecar.out").toFile())
        .redirectError(dir.resolve("sidecar.err").toFile())
        .start();
  }

  private static void sigterm(Process process) {
    process.toHandle().destroy();
  }

  /** Waits for the exit and returns how long it took from now. */
  private static Duration awaitExit(Process process) throws InterruptedException {
    long started = System.nanoTime();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the sidecar exited").isTrue();
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private JsonNode report() throws IOException {
    return new ObjectMapper().readTree(Files.readString(dir.resolve("sidecar.out")));
  }

  private String stderr() throws IOException {
    return Files.readString(dir.resolve("sidecar.err"));
  }

  @Test
  void aPayloadKilledWithoutDoneIsReportedKilledAndItsOutputsAreStored() throws Exception {
    Files.writeString(workdir.resolve("ready"), "{}\n");
    try (BackendReceiver backend = BackendReceiver.start()) {
      Process sidecar = sidecar(backend);
      Payload payload =
          Payload.start(
              workdir,
              dir,
              "echo 'event 1 done'; echo partial > $WORKDIR/output/part.txt; "
                  + "echo STEP-1 > $WORKDIR/state; sleep 60");
      backend.awaitState("STEP-1", Duration.ofSeconds(30));

      payload.killContainer(); // the OOM kill: the wrapper dies with the payload and writes no done
      assertThat(workdir.resolve("done")).doesNotExist();
      sigterm(sidecar); // what the kubelet does next

      Duration exit = awaitExit(sidecar);
      assertThat(sidecar.exitValue()).as(stderr()).isZero();
      assertThat(exit).isLessThan(Duration.ofSeconds(25));
      assertThat(backend.states())
          .containsExactly("INITIALIZING", "STARTED", "RUNNING", "STEP-1", "TERMINATING", "KILLED");
      assertThat(backend.posts().get(5).get("detail").asText())
          .startsWith(
              "payload ended without writing done (killed, e.g. OOM); 3 outputs stored under file:");
      assertThat(stored.resolve("job-9/part.txt")).hasContent("partial");
      assertThat(stored.resolve("job-9/log")).hasContent("event 1 done");
      assertThat(report().get("state").asText()).isEqualTo("KILLED");
    }
  }

  @Test
  void afterDoneTheSidecarWaitsForItsSigtermThenExitsAtOnce() throws Exception {
    Files.writeString(workdir.resolve("ready"), "{}\n");
    try (BackendReceiver backend = BackendReceiver.start()) {
      Process sidecar = sidecar(backend);
      try (Payload payload = Payload.start(workdir, dir, "echo result > $WORKDIR/output/r.txt")) {
        assertThat(payload.await()).isZero();
      }
      backend.awaitState("DONE", Duration.ofSeconds(30));
      Thread.sleep(1000);
      assertThat(sidecar.isAlive())
          .as("a native sidecar that exited early would be restarted")
          .isTrue();

      sigterm(sidecar);

      assertThat(awaitExit(sidecar)).isLessThan(Duration.ofSeconds(5));
      assertThat(sidecar.exitValue()).as(stderr()).isZero();
      assertThat(backend.states())
          .containsExactly("INITIALIZING", "STARTED", "RUNNING", "TERMINATING", "DONE");
      assertThat(report().get("status").asText()).isEqualTo("ok");
      assertThat(stored.resolve("job-9/r.txt")).hasContent("result");
    }
  }

  @Test
  void aFinalStateTheBackendNeverGotIsReportedLostWithinTheGracePeriod() throws Exception {
    Files.writeString(workdir.resolve("ready"), "{}\n");
    try (BackendReceiver backend = BackendReceiver.down()) {
      Process sidecar = sidecar(backend, "--grace-seconds", "4");
      try (Payload payload = Payload.start(workdir, dir, "true")) {
        payload.await();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!stderr().contains("-> DONE") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }

      sigterm(sidecar);

      assertThat(awaitExit(sidecar)).isLessThan(Duration.ofSeconds(8));
      assertThat(sidecar.exitValue()).isEqualTo(1);
      assertThat(stderr()).contains("transitions not delivered, the last one TERMINATING -> DONE");
      assertThat(report().get("reported").asBoolean()).isFalse();
      assertThat(report().get("state").asText())
          .isEqualTo("DONE"); // the outputs are stored: only the report is lost
    }
  }

  @Test
  void aPodStoppedBeforeThePayloadStartedIsKilledWithThatReason() throws Exception {
    try (BackendReceiver backend = BackendReceiver.start()) {
      Process sidecar = sidecar(backend);
      backend.awaitState("INITIALIZING", Duration.ofSeconds(30));

      sigterm(sidecar);

      awaitExit(sidecar);
      assertThat(sidecar.exitValue()).as(stderr()).isZero();
      assertThat(backend.states()).containsExactly("INITIALIZING", "TERMINATING", "KILLED");
      assertThat(backend.posts().get(2).get("detail").asText())
          .startsWith(
              "stopped before the payload started (pod deleted, evicted or past its deadline)");
    }
  }

  @Test
  void anUploadThatOutlastsTheGracePeriodIsAnErrorNeverDone() throws Exception {
    Files.writeString(workdir.resolve("ready"), "{}\n");
    // A storage server that takes the connection and never answers: the upload cannot finish.
    HttpServer blackHole =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    blackHole.createContext(
        "/",
        exchange -> {
          try {
            Thread.sleep(120_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    blackHole.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    blackHole.start();
    try (BackendReceiver backend = BackendReceiver.start()) {
      String storage = "http://127.0.0.1:" + blackHole.getAddress().getPort();
      Process sidecar =
          sidecar(
              backend,
              "--grace-seconds",
              "5",
              "--gcs-endpoint",
              storage,
              "--upload-to",
              "gs://bucket/outputs/");
      try (Payload payload = Payload.start(workdir, dir, "echo result > $WORKDIR/output/r.txt")) {
        payload.await();
      }
      backend.awaitState("TERMINATING", Duration.ofSeconds(30));

      sigterm(sidecar);

      assertThat(awaitExit(sidecar)).isLessThan(Duration.ofSeconds(9));
      assertThat(sidecar.exitValue()).isEqualTo(1);
      assertThat(backend.states())
          .containsExactly("INITIALIZING", "STARTED", "RUNNING", "TERMINATING", "ERROR");
      assertThat(backend.posts().get(4).get("detail").asText())
          .isEqualTo("the grace period ran out before the outputs were stored");
    } finally {
      blackHole.stop(0);
    }
  }
}
