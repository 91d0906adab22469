package io.datapass.cli.follow;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.cli.AsTheClusterWrites;
import io.datapass.cli.Run;
import io.datapass.cli.Run.Result;
import io.datapass.cli.TestApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit, status, list, watch and logs against a real kube-apiserver. It runs no controllers or
 * kubelet: the pods, the Job's status and the sidecar's annotations are written as those would
 * write them ({@link AsTheClusterWrites}).
 */
@Timeout(300)
class FollowOnApiServerIT {
  private static final String NS = "follow";
  private static Path kubeconfig;
  private static AsTheClusterWrites cluster;

  @TempDir static Path dir;

  @BeforeAll
  static void user() throws Exception {
    kubeconfig = TestApiServer.userIn(NS, dir.resolve("user"));
    cluster = new AsTheClusterWrites(TestApiServer.admin(), NS);
  }

  private static Result datapass(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--kubeconfig";
    all[args.length + 1] = kubeconfig.toString();
    return Run.isolated(dir).env("USER", "alice").datapass(all);
  }

  private static void submit(String values, String name, int inputs) throws Exception {
    Path list = dir.resolve(name + ".txt");
    Files.write(
        list,
        java.util.stream.IntStream.range(0, inputs)
            .mapToObj(i -> "root://eos.example.org//ship/run-" + i + ".root")
            .toList());
    Result submitted =
        datapass(
            "submit",
            Run.VALUES.resolve(values).toString(),
            "--inputs",
            list.toString(),
            "--name",
            name);
    assertThat(submitted.code()).as(submitted.toString()).isZero();
  }

  private static String row(String table, String first) {
    return table
        .lines()
        .filter(l -> l.startsWith(first + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + first + " in\n" + table));
  }

  @Test
  void statusShowsEachTaskFromItsPodsAnnotationsAndTheJob() throws Exception {
    submit("ship.yaml", "st-1", 3);
    cluster.pod(
        "st-1",
        0,
        "a0001",
        "Succeeded",
        "{\"outputsStored\":2,\"bytesStored\":1536,\"outputsPending\":0,\"uploadErrors\":0}",
        "INITIALIZING@2026-11-30T14:20:01Z",
        "RUNNING@2026-11-30T14:20:02Z",
        "DONE@2026-11-30T14:20:03Z@payload exited with code 0; 2 outputs stored");
    cluster.pod(
        "st-1",
        1,
        "b0001",
        "Failed",
        null,
        "ERROR@2026-11-30T14:20:04Z@payload exited with code 3");
    cluster.pod(
        "st-1",
        1,
        "b0002",
        "Running",
        null,
        "STARTED@2026-11-30T14:21:00Z",
        "RUNNING@2026-11-30T14:21:01Z");
    cluster.running("st-1", 1, 1, 1, "0");

    Result status = datapass("status", "st-1");

    assertThat(status.code()).as(status.toString()).isZero();
    assertThat(status.out())
        .startsWith(
            "Submission st-1 (ship) in namespace follow: Running; 3 tasks: 1 succeeded, 1 failed, 1 active\n")
        .contains("TASK  STATE    ATTEMPTS  LAST TRANSITION");
    assertThat(row(status.out(), "0"))
        .contains(
            "DONE",
            "2026-11-30T14:20:03Z (2m30s ago)",
            "1.5 KiB",
            "st-1-0-a0001",
            "2 outputs stored");
    assertThat(row(status.out(), "1"))
        .contains("RUNNING", " 2 ", "2026-11-30T14:21:01Z", "st-1-1-b0002");
    assertThat(row(status.out(), "2")).containsPattern("^2 +Waiting +0 +- +- +-$");
  }

  @Test
  void aPodTheSidecarSaidNothingAboutShowsItsPhase() throws Exception {
    submit("ship.yaml", "st-2", 1);
    cluster.pod("st-2", 0, "c0001", "Pending", null);

    Result status = datapass("status", "st-2");

    assertThat(status.code()).as(status.toString()).isZero();
    assertThat(row(status.out(), "0")).contains("Pending", "2026-11-30T14:20:00Z", "st-2-0-c0001");
  }

  @Test
  void listShowsEverySubmissionInTheNamespace() throws Exception {
    submit("caf.yaml", "ls-1", 1);
    submit("ship.yaml", "ls-2", 2);
    cluster.running("ls-2", 1, 1, 0, "1");

    Result list = datapass("list");

    assertThat(list.code()).as(list.toString()).isZero();
    assertThat(list.out()).startsWith("NAME ");
    assertThat(row(list.out(), "ls-1"))
        .containsPattern("^ls-1 +Pending +0/1 +atlas-caf +2\\d{3}-.*Z +deployed$");
    assertThat(row(list.out(), "ls-2")).containsPattern("^ls-2 +Running +1/2 +ship +.* +deployed$");
  }

  @Test
  void watchFollowsUntilTheJobCompletesAndExitsZero() throws Exception {
    submit("ship.yaml", "w-ok", 1);
    cluster.pod(
        "w-ok",
        0,
        "d0001",
        "Running",
        null,
        "RUNNING@2026-11-30T14:20:02Z",
        "DONE@2026-11-30T14:20:09Z");

    Result running = datapass("watch", "w-ok", "--interval", "1", "--timeout", "1");
    cluster.ended("w-ok", true, "CompletionsReached");
    Result ended = datapass("watch", "w-ok", "--interval", "1");

    assertThat(running.code()).as(running.toString()).isEqualTo(1);
    assertThat(running.out())
        .contains("2026-11-30T14:20:09Z task 0: DONE")
        .contains("Submission w-ok is still running after 1 s");
    assertThat(ended.code()).as(ended.toString()).isZero();
    assertThat(ended.out())
        .contains("Job w-ok: Complete")
        .endsWith("Submission w-ok succeeded: its Job completed\n");
  }

  @Test
  void watchExitsOneWhenTheJobFails() throws Exception {
    submit("ship.yaml", "w-bad", 2);
    cluster.pod(
        "w-bad",
        1,
        "e0001",
        "Failed",
        null,
        "ERROR@2026-11-30T14:20:04Z@payload exited with code 3");
    cluster.ended("w-bad", false, "BackoffLimitExceeded");

    Result watch = datapass("watch", "w-bad", "--interval", "1");

    assertThat(watch.code()).as(watch.toString()).isEqualTo(1);
    assertThat(watch.out())
        .contains("task 1: ERROR (payload exited with code 3)")
        .contains("Failed: BackoffLimitExceeded")
        .endsWith("Submission w-bad failed: its Job failed\n");
  }

  @Test
  void watchWaitsForAnApiServerThatWentAway() throws Exception {
    submit("ship.yaml", "w-outage", 1);
    cluster.pod("w-outage", 0, "g0001", "Running", null, "RUNNING@2026-11-30T14:20:02Z");
    CompletableFuture<Result> watch =
        CompletableFuture.supplyAsync(() -> datapass("watch", "w-outage", "--interval", "1"));
    Thread.sleep(1500);

    TestApiServer.get().stopApiServer();
    Thread.sleep(6000); // longer than the client's own retries
    TestApiServer.get().startApiServer();
    cluster.ended("w-outage", true, "CompletionsReached");
    Result ended = watch.get(2, TimeUnit.MINUTES);

    assertThat(ended.code()).as(ended.toString()).isZero();
    assertThat(ended.err()).contains("datapass watch: the API server: ").contains("; trying again");
    assertThat(ended.out()).endsWith("Submission w-outage succeeded: its Job completed\n");
  }

  @Test
  void aSubmissionThatIsNotThereIsSaidSo() {
    for (String command : List.of("status", "watch", "logs")) {
      Result missing = datapass(command, "nothing-here");

      assertThat(missing.code()).as(missing.toString()).isEqualTo(1);
      assertThat(missing.err())
          .contains("datapass " + command + ": no submission nothing-here in namespace follow");
    }
  }

  @Test
  void logsSayWhichTaskHasNoPodAndRefuseATaskThatIsNotThere() throws Exception {
    submit("ship.yaml", "lg-1", 3);
    cluster.pod("lg-1", 0, "f0001", "Pending", null);
    cluster.podOnNode("lg-1", 1, "f0002", "no-such-node", "Running", null);

    Result noPod = datapass("logs", "lg-1", "--task", "2");
    Result outside = datapass("logs", "lg-1", "--task", "7");
    Result notOnANode = datapass("logs", "lg-1", "--task", "0");
    Result noKubelet = datapass("logs", "lg-1", "--task", "1");

    assertThat(noPod.code()).isEqualTo(1);
    assertThat(noPod.err()).contains("task 2 has no pod yet");
    assertThat(outside.code()).isEqualTo(2);
    assertThat(outside.err()).contains("--task 7: lg-1 has tasks 0 to 2");
    // a pod on no node has an empty log (the API server's answer); one on a node without a kubelet
    // gets the API server's error, passed on
    assertThat(notOnANode.code()).as(notOnANode.toString()).isZero();
    assertThat(notOnANode.out()).isEmpty();
    assertThat(noKubelet.code()).as(noKubelet.toString()).isEqualTo(1);
    assertThat(noKubelet.err()).contains("datapass logs: pod lg-1-1-f0002, container payload: ");
  }

  @Test
  void aSecondSubmissionUnderTheSameNameIsRefusedAndChangesNothing() throws Exception {
    submit("ship.yaml", "twice", 1);

    Result again = datapass("submit", Run.VALUES.resolve("caf.yaml").toString(), "--name", "twice");

    assertThat(again.code()).as(again.toString()).isEqualTo(2);
    assertThat(again.err()).contains("a submission twice exists already in namespace follow");
    assertThat(cluster.job("twice").getMetadata().getLabels())
        .containsEntry("datapass.io/experiment", "ship");
  }
}
