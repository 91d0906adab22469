package io.datapass.cli.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.cli.Run;
import io.datapass.cli.Run.Result;
import io.datapass.cli.TestApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * user start, status and stop against a real kube-apiserver, values/savu.yaml through helm-java. No
 * kubelet runs there: the test marks the pod Ready through its status subresource, as the kubelet
 * would once the readiness probe passes.
 */
@Timeout(300)
class UserPodOnApiServerIT {
  private static final String NS = "users";
  private static final String SAVU = Run.VALUES.resolve("savu.yaml").toString();
  private static Path kubeconfig;
  private static KubernetesClient admin;

  @TempDir static Path dir;

  @BeforeAll
  static void user() throws Exception {
    kubeconfig = TestApiServer.userIn(NS, dir.resolve("user"));
    admin = TestApiServer.admin();
  }

  private static Result datapass(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--kubeconfig";
    all[args.length + 1] = kubeconfig.toString();
    return Run.isolated(dir).env("USER", "jdoe").datapass(all);
  }

  /** Starts in the background and marks the pod Ready once Helm created it. */
  private static Result startReady(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("user", "start", SAVU));
    all.addAll(List.of(args));
    CompletableFuture<Result> start =
        CompletableFuture.supplyAsync(() -> datapass(all.toArray(String[]::new)));
    String name = name(args);
    Pod pod = null;
    while (pod == null && !start.isDone()) {
      Thread.sleep(200);
      pod = admin.pods().inNamespace(NS).withName(name).get();
    }
    if (pod != null) {
      markReady(pod);
    }
    return start.get(2, TimeUnit.MINUTES);
  }

  private static String name(String... args) {
    List<String> list = List.of(args);
    int flag = list.indexOf("--name");
    return UserPodName.of("savu", flag < 0 ? "jdoe" : list.get(flag + 1));
  }

  private static void markReady(Pod pod) {
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withStartTime("2026-11-30T14:20:00Z")
            .withConditions(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus("True")
                    .withLastTransitionTime("2026-11-30T14:20:05Z")
                    .build())
            .build());
    admin.pods().inNamespace(NS).resource(pod).updateStatus();
  }

  private static List<String> left(String release) {
    List<String> found = new ArrayList<>();
    admin
        .pods()
        .inNamespace(NS)
        .withLabel("app.kubernetes.io/instance", release)
        .list()
        .getItems()
        .forEach(p -> found.add("pod/" + p.getMetadata().getName()));
    admin
        .services()
        .inNamespace(NS)
        .withLabel("app.kubernetes.io/instance", release)
        .list()
        .getItems()
        .forEach(s -> found.add("service/" + s.getMetadata().getName()));
    admin
        .secrets()
        .inNamespace(NS)
        .withLabel("owner", "helm")
        .withLabel("name", release)
        .list()
        .getItems()
        .forEach(s -> found.add("secret/" + s.getMetadata().getName()));
    return found;
  }

  @Test
  void startWaitsForTheReadyPodStatusShowsItStopRemovesItAndIsIdempotent() throws Exception {
    Result start = startReady("--uid", "37123", "--gid", "4500");

    assertThat(start.code()).as(start.toString()).isZero();
    assertThat(start.out())
        .startsWith(
            "Started savu-jdoe for jdoe in namespace users: Running, ready, uid 37123, gid 4500,"
                + " fsGroup 4500.\nReach it:\n  Service savu-jdoe (ClusterIP ")
        .contains("), port 80\n")
        .contains("  kubectl -n users port-forward service/savu-jdoe 8080:80")
        .contains("  datapass user stop " + SAVU + " --name jdoe -n users\n");
    Pod pod = admin.pods().inNamespace(NS).withName("savu-jdoe").get();
    assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(37123L);
    assertThat(pod.getSpec().getSecurityContext().getFsGroup()).isEqualTo(4500L);

    Result status = datapass("user", "status", SAVU);

    assertThat(status.code()).as(status.toString()).isZero();
    assertThat(status.out())
        .startsWith("User pod savu-jdoe of jdoe in namespace users: Running, ready\n")
        .contains("  runs as    uid 37123, gid 4500, fsGroup 4500\n")
        .contains("  created    ")
        .contains("  reached at Service savu-jdoe (ClusterIP ");

    Result again = datapass("user", "start", SAVU, "--uid", "37123", "--gid", "4500");

    assertThat(again.code()).as(again.toString()).isEqualTo(2);
    assertThat(again.err())
        .contains("datapass user start: jdoe has a pod already: savu-jdoe in namespace users")
        .contains("(Running, ready); stop it first: datapass user stop " + SAVU + " --name jdoe");
    assertThat(admin.pods().inNamespace(NS).withName("savu-jdoe").get().getMetadata().getUid())
        .isEqualTo(pod.getMetadata().getUid());

    Result stop = datapass("user", "stop", SAVU);

    assertThat(stop.code()).as(stop.toString()).isZero();
    assertThat(stop.out())
        .startsWith("Helm release savu-jdoe uninstalled.\n")
        .endsWith(
            "Stopped: the pod and Service of jdoe are gone from namespace users (the data on its"
                + " volumes stay).\n");
    assertThat(left("savu-jdoe")).isEmpty();

    Result stopAgain = datapass("user", "stop", SAVU);

    assertThat(stopAgain.code()).as(stopAgain.toString()).isZero();
    assertThat(stopAgain.out())
        .isEqualTo("No pod savu-jdoe of jdoe in namespace users: nothing to stop.\n");

    Result gone = datapass("user", "status", SAVU);

    assertThat(gone.code()).as(gone.toString()).isEqualTo(1);
    assertThat(gone.err())
        .contains("datapass user status: no pod savu-jdoe of jdoe in namespace users")
        .contains("(start it: datapass user start " + SAVU + " --name jdoe -n users)");
  }

  @Test
  void aNodePortServiceIsReachedOnItsNodePort() throws Exception {
    Result start =
        startReady(
            "--name",
            "Jane.Doe@diamond.ac.uk",
            "--uid",
            "1001",
            "--gid",
            "1001",
            "--set",
            "service.type=NodePort");
    String name = UserPodName.of("savu", "Jane.Doe@diamond.ac.uk");

    assertThat(start.code()).as(start.toString()).isZero();
    int nodePort =
        admin
            .services()
            .inNamespace(NS)
            .withName(name)
            .get()
            .getSpec()
            .getPorts()
            .get(0)
            .getNodePort();
    assertThat(start.out())
        .contains("  Service " + name + " (NodePort ")
        .contains("port 80; node port " + nodePort + " of any node's address\n")
        .doesNotContain("port-forward")
        .contains("--name Jane.Doe@diamond.ac.uk -n users");

    Result stop = datapass("user", "stop", SAVU, "--name", "Jane.Doe@diamond.ac.uk");

    assertThat(stop.code()).as(stop.toString()).isZero();
    assertThat(left(name)).isEmpty();
  }

  @Test
  void aPodThatIsNeverReadyIsExitOneAndStaysToBeLookedAt() throws Exception {
    Result start =
        datapass(
            "user",
            "start",
            SAVU,
            "--name",
            "slow",
            "--uid",
            "1002",
            "--gid",
            "1002",
            "--timeout",
            "2");

    assertThat(start.code()).as(start.toString()).isEqualTo(1);
    assertThat(start.err())
        .contains("datapass user start: savu-slow not ready after 2 s: Pending")
        .contains("kubectl -n users describe pod savu-slow")
        .contains("datapass user stop " + SAVU + " --name slow -n users");
    assertThat(left("savu-slow")).contains("pod/savu-slow", "service/savu-slow");

    Result status = datapass("user", "status", SAVU, "--name", "slow");

    assertThat(status.code()).as(status.toString()).isEqualTo(1);
    assertThat(status.out()).startsWith("User pod savu-slow of slow in namespace users: Pending");

    assertThat(datapass("user", "stop", SAVU, "--name", "slow").code()).isZero();
    assertThat(left("savu-slow")).isEmpty();
  }

  @Test
  void stopLeavesAReleaseOfAnotherChartAlone() throws Exception {
    Result submitted =
        datapass("submit", Run.VALUES.resolve("ship.yaml").toString(), "--name", "savu-other");
    assertThat(submitted.code()).as(submitted.toString()).isZero();

    Result stop = datapass("user", "stop", SAVU, "--name", "other");

    // the release savu-other is a batch-job one: uninstalling it would end the submission
    assertThat(stop.code()).as(stop.toString()).isEqualTo(2);
    assertThat(stop.err())
        .contains("datapass user stop: the release savu-other in namespace users is no user pod")
        .contains("(its chart is batch-job-");
    assertThat(
            admin
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withLabel("datapass.io/submission", "savu-other")
                .list()
                .getItems())
        .hasSize(1);
  }
}
