package io.datapass.sidecar;

import static io.datapass.kube.testing.RbacRule.allow;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.kube.testing.ApiServerFixture;
import io.datapass.kube.testing.RbacRule;
import io.datapass.kube.testing.ServiceAccountLogin;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the payload container ended, read from the sidecar's own pod on a real kube-apiserver: the
 * sidecar as its container runs it (a JVM of its own, sent a real SIGTERM) around a real bash
 * payload, and the test writing the pod's status through the status subresource as the kubelet
 * would (no kubelet runs here).
 */
@Timeout(240)
class SidecarPayloadStatusIT {
  private static final Path JAR = Path.of("target/sidecar.jar");
  private static final Path JVM_OPTIONS = Path.of("../jvm.options");
  private static final String POD = "job-7-0-oomed";
  private static final RbacRule REPORT = allow("", "events", "create");
  private static final RbacRule READ_AND_PATCH_POD = allow("", "pods", "get", "patch", "watch");
  private static final String OOM_PAYLOAD =
      "echo 'event 1 done'; echo partial > $WORKDIR/output/part.txt; "
          + "echo STEP-1 > $WORKDIR/state; sleep 60";

  private static ApiServerFixture api;

  @TempDir Path dir;
  private Path workdir;
  private BackendReceiver backend;
  private Process sidecar;
  private Payload payload;

  @BeforeAll
  static void startApiServer() throws Exception {
    api = ApiServerFixture.start();
  }

  @AfterAll
  static void stopApiServer() {
    api.close();
  }

  @BeforeEach
  void setUp() throws IOException {
    assertThat(JAR).as("built by mvn package before the integration tests").exists();
    workdir = Files.createDirectories(dir.resolve("workdir"));
    Files.createDirectories(workdir.resolve("output"));
    Files.writeString(workdir.resolve("ready"), "{}\n");
    backend = BackendReceiver.start();
  }

  @AfterEach
  void tearDown() {
    if (payload != null) {
      payload.close();
    }
    if (sidecar != null && sidecar.isAlive()) {
      sidecar.destroyForcibly();
    }
    backend.close();
  }

  /** The pod, its containers running as the kubelet first posts them, and its sidecar's account. */
  private Map<String, String> pod(String namespace, List<String> containers, RbacRule... rules)
      throws IOException {
    ServiceAccountLogin account = api.serviceAccount(namespace, "sidecar", rules);
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(POD)
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName("sidecar")
            .addNewInitContainer()
            .withName("sidecar")
            .withImage("datapass/agent:1")
            .withRestartPolicy("Always")
            .endInitContainer()
            .endSpec();
    for (String container : containers) {
      pod.editSpec()
          .addNewContainer()
          .withName(container)
          .withImage("busybox:1")
          .endContainer()
          .endSpec();
    }
    api.admin().pods().inNamespace(namespace).resource(pod.build()).create();
    for (String container : containers) {
      postState(namespace, container, new ContainerStateBuilder().withNewRunning().endRunning());
    }
    return account.podEnvironment(account.mountAt(dir.resolve("serviceaccount")));
  }

  /** Writes one container's state through the status subresource, as the kubelet does. */
  private static void postState(String namespace, String container, ContainerStateBuilder state) {
    Pod pod = api.admin().pods().inNamespace(namespace).withName(POD).get();
    List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses =
        new ArrayList<>(pod.getStatus().getContainerStatuses());
    statuses.removeIf(s -> s.getName().equals(container));
    statuses.add(
        new ContainerStatusBuilder()
            .withName(container)
            .withImage("busybox:1")
            .withImageID("")
            .withReady(false)
            .withRestartCount(0)
            .withState(state.build())
            .build());
    pod.setStatus(
        new PodStatusBuilder(pod.getStatus())
            .withPhase("Running")
            .withContainerStatuses(statuses)
            .build());
    api.admin().pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  private static ContainerStateBuilder terminated(int code, String reason) {
    String now = Instant.now().toString();
    return new ContainerStateBuilder()
        .withNewTerminated()
        .withExitCode(code)
        .withReason(reason)
        .withStartedAt(now)
        .withFinishedAt(now)
        .endTerminated();
  }

  private Process startSidecar(Map<String, String> podEnv, String graceSeconds, String... extra)
      throws IOException {
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
                "--upload-to",
                dir.resolve("stored") + "/",
                "--job",
                "job-7",
                "--retries",
                "0",
                "--grace-seconds",
                graceSeconds,
                "--report-to-pod"));
    command.addAll(List.of(extra));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve("sidecar.out").toFile())
            .redirectError(dir.resolve("sidecar.err").toFile());
    builder.environment().putAll(podEnv);
    builder.environment().put("POD_NAME", POD);
    sidecar = builder.start();
    return sidecar;
  }

  /** The payload runs, reports STEP-1, then its whole container is killed: no done. */
  private void payloadKilledWithoutDone() throws Exception {
    payload = Payload.start(workdir, dir, OOM_PAYLOAD);
    assertThat(backend.awaitState("STEP-1", Duration.ofSeconds(30))).contains("STEP-1");
    payload.killContainer();
    assertThat(workdir.resolve("done")).doesNotExist();
  }

  /** Sends SIGTERM and returns how long the sidecar took to exit. */
  private Duration sigtermAndAwaitExit() throws InterruptedException {
    sidecar.toHandle().destroy();
    return awaitExit();
  }

  private Duration awaitExit() throws InterruptedException {
    long started = System.nanoTime();
    assertThat(sidecar.waitFor(60, TimeUnit.SECONDS)).as("the sidecar exited").isTrue();
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private String stderr() throws IOException {
    return Files.readString(dir.resolve("sidecar.err"));
  }

  private JsonNode report() throws IOException {
    return new ObjectMapper().readTree(Files.readString(dir.resolve("sidecar.out")));
  }

  private static Map<String, String> annotations(String namespace) {
    return api.admin()
        .pods()
        .inNamespace(namespace)
        .withName(POD)
        .get()
        .getMetadata()
        .getAnnotations();
  }

  /** The detail of the last transition in the pod's state-history annotation. */
  private static String lastDetail(String namespace) throws IOException {
    JsonNode history =
        new ObjectMapper().readTree(annotations(namespace).get("datapass.io/state-history"));
    return history.get(history.size() - 1).get("detail").asText();
  }

  private String finalDetail() {
    List<JsonNode> posts = backend.posts();
    return posts.get(posts.size() - 1).get("detail").asText();
  }

  @Test
  void aPayloadOomKilledWithoutDoneIsKilledOomKilledInThePodAndItsOutputsAreStored()
      throws Exception {
    Map<String, String> env = pod("oom", List.of("payload"), READ_AND_PATCH_POD, REPORT);
    startSidecar(env, "30");
    payloadKilledWithoutDone();
    postState("oom", "payload", terminated(137, "OOMKilled"));

    Duration exit = sigtermAndAwaitExit();

    assertThat(sidecar.exitValue()).as(stderr()).isZero();
    assertThat(exit).isLessThan(Duration.ofSeconds(25));
    assertThat(annotations("oom")).containsEntry("datapass.io/state", "KILLED");
    assertThat(lastDetail("oom")).startsWith("OOMKilled (exit 137); 3 outputs stored under file:");
    assertThat(backend.states())
        .containsExactly("INITIALIZING", "STARTED", "RUNNING", "STEP-1", "TERMINATING", "KILLED");
    assertThat(report().get("payloadExitCode").asInt()).isEqualTo(137);
    assertThat(dir.resolve("stored/job-7/part.txt")).hasContent("partial");
    assertThat(dir.resolve("stored/job-7/log")).hasContent("event 1 done");
  }

  /** With a Role allowing watch the sidecar watches; without it, it asks again and again. */
  @ParameterizedTest(name = "watch allowed: {0}")
  @ValueSource(booleans = {true, false})
  void aStatusThatTheKubeletPostsASecondAfterSigtermIsStillSeen(boolean watch) throws Exception {
    String namespace = watch ? "late-watch" : "late-poll";
    RbacRule pods = watch ? READ_AND_PATCH_POD : allow("", "pods", "get", "patch");
    Map<String, String> env = pod(namespace, List.of("payload"), pods, REPORT);
    startSidecar(env, "30");
    payloadKilledWithoutDone();

    sidecar.toHandle().destroy();
    Thread.sleep(1000);
    postState(namespace, "payload", terminated(137, "OOMKilled"));
    awaitExit();

    assertThat(sidecar.exitValue()).as(stderr()).isZero();
    assertThat(annotations(namespace)).containsEntry("datapass.io/state", "KILLED");
    assertThat(lastDetail(namespace)).startsWith("OOMKilled (exit 137); ");
    assertThat(stderr().contains("cannot watch it (HTTP 403")).isEqualTo(!watch);
  }

  /** cgroup v1 kills only the largest process: the wrapper lives on and writes done 137. */
  @Test
  void anOomKillTheWrapperSurvivedIsKilledNotAnError() throws Exception {
    Map<String, String> env = pod("oom-v1", List.of("payload"), READ_AND_PATCH_POD, REPORT);
    startSidecar(env, "30");
    try (Payload killed = Payload.start(workdir, dir, "kill -9 $$")) {
      assertThat(killed.await()).isEqualTo(137);
    }
    Thread.sleep(500); // the container's exit reaches the kubelet
    postState("oom-v1", "payload", terminated(137, "OOMKilled"));

    assertThat(backend.awaitState("KILLED", Duration.ofSeconds(30))).endsWith("KILLED");
    assertThat(finalDetail()).startsWith("OOMKilled (exit 137); ");
    sigtermAndAwaitExit();
    assertThat(sidecar.exitValue()).as(stderr()).isZero();
    assertThat(annotations("oom-v1")).containsEntry("datapass.io/state", "KILLED");
  }

  /** A Role without pods (fabric8's patch reads the pod too): no status, and no annotations. */
  @Test
  void withoutPermissionToReadThePodTheEndIsStillReportedWithinTheGrace() throws Exception {
    Map<String, String> env = pod("no-get", List.of("payload"), REPORT);
    startSidecar(env, "5");
    payloadKilledWithoutDone();
    postState("no-get", "payload", terminated(137, "OOMKilled"));

    long sigterm = System.nanoTime();
    sidecar.toHandle().destroy();
    assertThat(backend.awaitState("KILLED", Duration.ofSeconds(5))).endsWith("KILLED");
    Duration reported = Duration.ofNanos(System.nanoTime() - sigterm);
    Duration exit = awaitExit().plus(reported);

    assertThat(reported).isLessThan(Duration.ofSeconds(3));
    assertThat(finalDetail()).startsWith(Lifecycle.KILLED_WITHOUT_DONE + "; 3 outputs");
    assertThat(exit).isLessThan(Duration.ofSeconds(6));
    assertThat(stderr()).contains("cannot read the payload container's status (HTTP 403");
    // the annotations could not be written either: that loss is the exit code's
    assertThat(sidecar.exitValue()).isEqualTo(1);
    assertThat(report().get("state").asText()).isEqualTo("KILLED");
  }

  @Test
  void withTheApiServerDownTheEndIsStillReportedWithinTheGrace() throws Exception {
    Map<String, String> env = pod("api-down", List.of("payload"), READ_AND_PATCH_POD, REPORT);
    startSidecar(env, "6");
    payloadKilledWithoutDone();
    api.stopApiServer();
    try {
      long sigterm = System.nanoTime();
      sidecar.toHandle().destroy();
      assertThat(backend.awaitState("KILLED", Duration.ofSeconds(6))).endsWith("KILLED");
      Duration reported = Duration.ofNanos(System.nanoTime() - sigterm);
      Duration exit = awaitExit().plus(reported);

      assertThat(reported).isLessThan(Duration.ofSeconds(4));
      assertThat(finalDetail()).startsWith(Lifecycle.KILLED_WITHOUT_DONE + "; 3 outputs");
      assertThat(exit).isLessThan(Duration.ofSeconds(7));
      // the pod's annotations could not be written: that loss is the exit code's
      assertThat(sidecar.exitValue()).isEqualTo(1);
      assertThat(report().get("state").asText()).isEqualTo("KILLED");
    } finally {
      api.startApiServer();
    }
  }

  @Test
  void aPodWithSeveralContainersNeedsThePayloadsNamed() throws Exception {
    Map<String, String> env = pod("two", List.of("monitor", "payload"), READ_AND_PATCH_POD, REPORT);
    postState("two", "payload", terminated(137, "OOMKilled"));
    startSidecar(env, "30");
    payloadKilledWithoutDone();

    sigtermAndAwaitExit();

    assertThat(sidecar.exitValue()).as(stderr()).isZero();
    assertThat(lastDetail("two")).startsWith(Lifecycle.KILLED_WITHOUT_DONE);
    assertThat(stderr())
        .contains(
            "has the containers [monitor, payload]; --payload-container"
                + " (DATAPASS_PAYLOAD_CONTAINER) names the payload's");
  }

  @Test
  void thePayloadContainerNamedIsTheOneRead() throws Exception {
    Map<String, String> env =
        pod("named", List.of("monitor", "payload"), READ_AND_PATCH_POD, REPORT);
    postState("named", "payload", terminated(137, "OOMKilled"));
    startSidecar(env, "30", "--payload-container", "payload");
    payloadKilledWithoutDone();

    sigtermAndAwaitExit();

    assertThat(sidecar.exitValue()).as(stderr()).isZero();
    assertThat(lastDetail("named")).startsWith("OOMKilled (exit 137); ");
  }
}
