package io.datapass.sidecar;

import static io.datapass.kube.testing.RbacRule.allow;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.kube.testing.ApiServerFixture;
import io.datapass.kube.testing.RbacRule;
import io.datapass.kube.testing.ServiceAccountLogin;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --report-to-pod} against a real kube-apiserver (the fixture of the fabric8 module): the
 * sidecar, in-process around a real bash payload, as a pod's service account allowed only what the
 * README lists.
 */
@Timeout(240)
class SidecarKubernetesIT {
  private static final String POD = "job-42-3-abcde";
  private static final RbacRule GET_PATCH_PODS = allow("", "pods", "get", "patch");
  private static final RbacRule CREATE_EVENTS = allow("", "events", "create");
  private static final List<String> KPIPE_ORDER =
      List.of("INITIALIZING", "STARTED", "RUNNING", "LOADING", "FITTING", "TERMINATING", "DONE");
  private static final String KPIPE_PAYLOAD =
      "sleep 0.3; echo LOADING > $WORKDIR/state; sleep 0.3; echo FITTING > $WORKDIR/state;"
          + " sleep 0.3; echo 42 > $WORKDIR/output/result.txt";

  private static ApiServerFixture api;

  @TempDir Path dir;
  private Path workdir;

  @BeforeAll
  static void startApiServer() throws Exception {
    api = ApiServerFixture.start();
  }

  @AfterAll
  static void stopApiServer() {
    api.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    workdir = Files.createDirectories(dir.resolve("workdir"));
    Files.createDirectories(workdir.resolve("output"));
    Files.writeString(workdir.resolve("ready"), "{}\n"); // as a download init container does
  }

  /** The pod object and the environment its sidecar container gets, as {@code account}. */
  private Map<String, String> pod(String namespace, RbacRule... rules) throws Exception {
    ServiceAccountLogin account = api.serviceAccount(namespace, "sidecar", rules);
    api.admin()
        .pods()
        .inNamespace(namespace)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(POD)
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName("sidecar")
                .addNewContainer()
                .withName("payload")
                .withImage("busybox:1")
                .endContainer()
                .endSpec()
                .build())
        .create();
    Map<String, String> env =
        new HashMap<>(account.podEnvironment(account.mountAt(dir.resolve("serviceaccount"))));
    env.put("POD_NAME", POD);
    return env;
  }

  private SidecarRun sidecar(Map<String, String> env) throws Exception {
    return sidecar(env, "30");
  }

  private SidecarRun sidecar(Map<String, String> env, String graceSeconds, String... extra)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--workdir",
                workdir.toString(),
                "--port",
                Integer.toString(BackendReceiver.freePort()),
                "--upload-to",
                dir.resolve("stored") + "/",
                "--job",
                "job-42",
                "--retries",
                "0",
                "--grace-seconds",
                graceSeconds,
                "--report-to-pod"));
    args.addAll(List.of(extra));
    return SidecarRun.start(env, args);
  }

  private void runPayload(String script) throws Exception {
    try (Payload payload = Payload.start(workdir, dir, script)) {
      assertThat(payload.await()).isZero();
    }
  }

  private static Map<String, String> annotations(String namespace) {
    Pod pod = api.admin().pods().inNamespace(namespace).withName(POD).get();
    return pod.getMetadata().getAnnotations() == null
        ? Map.of()
        : pod.getMetadata().getAnnotations();
  }

  private static List<String> historyStates(String namespace) throws Exception {
    List<String> states = new ArrayList<>();
    for (JsonNode entry :
        new ObjectMapper().readTree(annotations(namespace).get("datapass.io/state-history"))) {
      states.add(entry.get("state").asText());
    }
    return states;
  }

  /** The pod's Events in the order the sidecar created them (the number its names end with). */
  private static List<Event> events(String namespace) {
    return api.admin().v1().events().inNamespace(namespace).list().getItems().stream()
        .sorted(
            Comparator.comparingInt(
                (Event e) -> {
                  String name = e.getMetadata().getName();
                  return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
                }))
        .toList();
  }

  @Test
  void theKpipeOrderReachesThePodsAnnotationsAndOneEventPerTransition() throws Exception {
    Map<String, String> env = pod("kpipe", GET_PATCH_PODS, CREATE_EVENTS);
    SidecarRun sidecar = sidecar(env);
    runPayload(KPIPE_PAYLOAD + "; exit 0");
    SidecarRun.Result result = sidecar.await();

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(annotations("kpipe")).containsEntry("datapass.io/state", "DONE");
    assertThat(annotations("kpipe"))
        .containsEntry(
            "datapass.io/progress",
            "{\"outputsStored\":3,\"bytesStored\":3,\"outputsPending\":0,\"uploadErrors\":0}");
    assertThat(historyStates("kpipe")).isEqualTo(KPIPE_ORDER);
    List<Event> events = events("kpipe");
    assertThat(events).extracting(Event::getReason).isEqualTo(KPIPE_ORDER);
    assertThat(events).extracting(Event::getType).containsOnly("Normal");
    Event done = events.get(events.size() - 1);
    assertThat(done.getInvolvedObject().getKind()).isEqualTo("Pod");
    assertThat(done.getInvolvedObject().getName()).isEqualTo(POD);
    assertThat(done.getInvolvedObject().getUid())
        .isEqualTo(
            api.admin().pods().inNamespace("kpipe").withName(POD).get().getMetadata().getUid());
    assertThat(done.getMessage()).startsWith("payload exited with code 0; 3 outputs stored under");
    assertThat(result.json().get("reported").asBoolean()).isTrue();
  }

  @Test
  void theHistoryAnnotationKeepsTheLastTwentyTransitionsAndEveryOneIsAnEvent() throws Exception {
    Map<String, String> env = pod("long-history", GET_PATCH_PODS, CREATE_EVENTS);
    SidecarRun sidecar = sidecar(env);
    runPayload("for i in $(seq 1 30); do echo STEP$i > $WORKDIR/state; sleep 0.1; done");
    SidecarRun.Result result = sidecar.await();

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> all = events("long-history").stream().map(Event::getReason).toList();
    assertThat(all).hasSizeGreaterThan(PodStateWriter.HISTORY_KEPT).startsWith("INITIALIZING");
    assertThat(historyStates("long-history"))
        .isEqualTo(all.subList(all.size() - PodStateWriter.HISTORY_KEPT, all.size()))
        .endsWith("STEP30", "TERMINATING", "DONE");
  }

  @Test
  void aPayloadFailureIsAWarningEvent() throws Exception {
    Map<String, String> env = pod("failing", GET_PATCH_PODS, CREATE_EVENTS);
    SidecarRun sidecar = sidecar(env);
    try (Payload payload = Payload.start(workdir, dir, "exit 3")) {
      assertThat(payload.await()).isEqualTo(3);
    }
    SidecarRun.Result result = sidecar.await();

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(annotations("failing")).containsEntry("datapass.io/state", "ERROR");
    Event last = events("failing").get(events("failing").size() - 1);
    assertThat(last.getReason()).isEqualTo("ERROR");
    assertThat(last.getType()).isEqualTo("Warning");
    assertThat(last.getMessage()).startsWith("payload exited with code 3");
  }

  @Test
  void anApiServerDownForAWhileGetsEveryStateInOrderOnceItIsBack() throws Exception {
    Map<String, String> env = pod("outage", GET_PATCH_PODS, CREATE_EVENTS);
    SidecarRun sidecar;
    api.stopApiServer();
    try {
      sidecar = sidecar(env);
      runPayload(KPIPE_PAYLOAD);
      Thread.sleep(3000); // the payload is done, the sidecar retrying
      assertThat(sidecar.isRunning()).isTrue();
    } finally {
      api.startApiServer();
    }
    SidecarRun.Result result = sidecar.await();

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(annotations("outage")).containsEntry("datapass.io/state", "DONE");
    assertThat(historyStates("outage")).isEqualTo(KPIPE_ORDER);
    assertThat(events("outage")).extracting(Event::getReason).isEqualTo(KPIPE_ORDER);
  }

  @Test
  void aRoleWithoutPatchLosesTheReportsSaysSoAndExitsOneWithThePayloadsOutcomeIntact()
      throws Exception {
    Map<String, String> env = pod("no-patch", allow("", "pods", "get"), CREATE_EVENTS);
    SidecarRun sidecar = sidecar(env, "3");
    SidecarRun.Result result;
    try (CapturedLog log = CapturedLog.start()) {
      runPayload(KPIPE_PAYLOAD);
      result = sidecar.await();
      assertThat(log.text())
          .contains(
              "pod no-patch/" + POD + ": ", "transitions not written, the last one", "HTTP 403");
    }

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    JsonNode report = result.json();
    assertThat(report.get("state").asText()).isEqualTo("DONE");
    assertThat(report.get("payloadExitCode").asInt()).isZero();
    assertThat(report.get("reported").asBoolean()).isFalse();
    assertThat(dir.resolve("stored/job-42/result.txt")).hasContent("42");
    assertThat(annotations("no-patch")).doesNotContainKey("datapass.io/state");
  }

  @Test
  void theProgressAnnotationFollowsUploadsDuringTheRunAFewPatchesAMinuteNotOnePerFile()
      throws Exception {
    Map<String, String> env = pod("progress", GET_PATCH_PODS, CREATE_EVENTS);
    List<Pod> patched = new CopyOnWriteArrayList<>();
    Path go = dir.resolve("go");
    try (Watch watch =
        api.admin()
            .pods()
            .inNamespace("progress")
            .withName(POD)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if (action == Action.MODIFIED) {
                      patched.add(pod);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      SidecarRun sidecar = sidecar(env, "30", "--upload-during-run", "--settle-seconds", "1");
      Payload payload =
          Payload.start(
              workdir,
              dir,
              "for i in $(seq 1 40); do echo $i > $WORKDIR/output/part-$i.txt; done; "
                  + "for i in $(seq 1 1200); do [ -e "
                  + go
                  + " ] && break; sleep 0.05; done");
      String during;
      int patchesWhileRunning;
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        do {
          Thread.sleep(100);
          during = annotations("progress").get("datapass.io/progress");
        } while (!"{\"outputsStored\":42,\"bytesStored\":111,\"outputsPending\":0,\"uploadErrors\":0}"
                .equals(during)
            && System.nanoTime() < deadline);
        assertThat(payload.process().isAlive()).as("still running").isTrue();
        assertThat(annotations("progress")).containsEntry("datapass.io/state", "RUNNING");
        patchesWhileRunning = patched.size();
      } finally {
        Files.writeString(go, "");
        payload.await();
        payload.close();
      }
      SidecarRun.Result result = sidecar.await();

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(during)
          .as("40 parts (111 bytes), log and error stored while the payload runs")
          .isEqualTo(
              "{\"outputsStored\":42,\"bytesStored\":111,\"outputsPending\":0,\"uploadErrors\":0}");
      assertThat(patchesWhileRunning)
          .as("3 transitions (INITIALIZING, STARTED, RUNNING) and a progress patch per 5 s at most")
          .isBetween(4, 3 + 3);
      assertThat(annotations("progress"))
          .containsEntry("datapass.io/state", "DONE")
          .containsEntry(
              "datapass.io/progress",
              "{\"outputsStored\":42,\"bytesStored\":111,\"outputsPending\":0,\"uploadErrors\":0}");
    }
  }
}
