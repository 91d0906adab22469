package io.datapass.cli.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.cli.AsTheClusterWrites;
import io.datapass.cli.Run;
import io.datapass.cli.Run.Result;
import io.datapass.cli.TestApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cancel} against a real kube-apiserver: the Helm release and everything labelled with the
 * submission goes, the Events about its pods too, and nothing of another submission. Pods are
 * written as the Job controller would (the fixture runs none).
 */
@Timeout(300)
class CancelOnApiServerIT {
  private static final String NS = "cancel";
  private static Path kubeconfig;
  private static AsTheClusterWrites cluster;
  private static KubernetesClient admin;

  @TempDir static Path dir;

  @BeforeAll
  static void user() throws Exception {
    kubeconfig = TestApiServer.userIn(NS, dir.resolve("user"));
    admin = TestApiServer.admin();
    cluster = new AsTheClusterWrites(admin, NS);
  }

  private static Result datapass(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--kubeconfig";
    all[args.length + 1] = kubeconfig.toString();
    return Run.isolated(dir).datapass(all);
  }

  private static void submit(String name, int inputs) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      lines.add("gs://ship-data/" + name + "/part-" + i);
    }
    Path list = Files.write(dir.resolve(name + ".txt"), lines);
    Result submitted =
        datapass(
            "submit",
            Run.VALUES.resolve("kpipe.yaml").toString(),
            "--inputs",
            list.toString(),
            "--name",
            name);
    assertThat(submitted.code()).as(submitted.toString()).isZero();
  }

  /** Everything in the namespace labelled with the submission, as "kind/name". */
  private static List<String> labelled(String name) {
    List<HasMetadata> found = new ArrayList<>();
    found.addAll(
        admin
            .batch()
            .v1()
            .jobs()
            .inNamespace(NS)
            .withLabel("datapass.io/submission", name)
            .list()
            .getItems());
    found.addAll(
        admin.pods().inNamespace(NS).withLabel("datapass.io/submission", name).list().getItems());
    found.addAll(
        admin
            .configMaps()
            .inNamespace(NS)
            .withLabel("datapass.io/submission", name)
            .list()
            .getItems());
    found.addAll(
        admin
            .secrets()
            .inNamespace(NS)
            .withLabel("datapass.io/submission", name)
            .list()
            .getItems());
    found.addAll(
        admin
            .serviceAccounts()
            .inNamespace(NS)
            .withLabel("datapass.io/submission", name)
            .list()
            .getItems());
    found.addAll(
        admin
            .rbac()
            .roles()
            .inNamespace(NS)
            .withLabel("datapass.io/submission", name)
            .list()
            .getItems());
    found.addAll(
        admin
            .rbac()
            .roleBindings()
            .inNamespace(NS)
            .withLabel("datapass.io/submission", name)
            .list()
            .getItems());
    return found.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
  }

  private static List<String> helmSecrets(String release) {
    return admin
        .secrets()
        .inNamespace(NS)
        .withLabel("owner", "helm")
        .withLabel("name", release)
        .list()
        .getItems()
        .stream()
        .map(s -> s.getMetadata().getName())
        .toList();
  }

  @Test
  void cancelLeavesNothingOfTheSubmissionAndTouchesNoOther() throws Exception {
    submit("c-1", 2);
    submit("c-2", 1);
    Pod first = cluster.pod("c-1", 0, "a0001", "Running", null, "RUNNING@2026-11-30T14:20:02Z");
    Pod second = cluster.pod("c-1", 1, "a0002", "Pending", null);
    cluster.event(first, "RUNNING");
    cluster.event(second, "INITIALIZING");
    Pod other = cluster.pod("c-2", 0, "b0001", "Running", null);
    cluster.event(other, "RUNNING");
    assertThat(labelled("c-1"))
        .contains("Job/c-1", "Pod/c-1-0-a0001", "ConfigMap/c-1-inputs", "Role/c-1");
    assertThat(helmSecrets("c-1")).hasSize(1);

    Result cancel = datapass("cancel", "c-1");

    assertThat(cancel.code()).as(cancel.toString()).isZero();
    assertThat(cancel.out())
        .startsWith("Helm release c-1 uninstalled.\n")
        .endsWith(
            "Nothing of c-1 is left in namespace cancel ("
                + (labelled("c-2").size() + 1)
                + " objects and 2 events deleted).\n");
    assertThat(labelled("c-1")).isEmpty();
    assertThat(helmSecrets("c-1")).isEmpty();
    assertThat(admin.v1().events().inNamespace(NS).list().getItems())
        .extracting(e -> e.getInvolvedObject().getName())
        .containsExactly("c-2-0-b0001");
    assertThat(labelled("c-2")).contains("Job/c-2", "Pod/c-2-0-b0001");
    assertThat(helmSecrets("c-2")).hasSize(1);
  }

  @Test
  void whatIsLabelledGoesEvenWithoutARelease() throws Exception {
    submit("c-3", 1);
    // the release's record gone (helm uninstall --keep-history aside): only the labels are left
    admin.secrets().inNamespace(NS).withLabel("owner", "helm").withLabel("name", "c-3").delete();
    cluster.pod("c-3", 0, "c0001", "Running", null);

    Result cancel = datapass("cancel", "c-3");

    assertThat(cancel.code()).as(cancel.toString()).isZero();
    assertThat(cancel.out()).startsWith("No Helm release c-3; deleting what is labelled.\n");
    assertThat(labelled("c-3")).isEmpty();
  }

  @Test
  void thePackagedCommandCancelsAsAProcessOfItsOwn() throws Exception {
    // the jar and its lib/ as bin/datapass runs them: every class cancel needs is there
    submit("c-5", 1);
    cluster.pod("c-5", 0, "e0001", "Running", null);

    Result cancel = Run.isolated(dir).jar("cancel", "c-5", "--kubeconfig", kubeconfig.toString());

    assertThat(cancel.code()).as(cancel.toString()).isZero();
    assertThat(cancel.out()).contains("Nothing of c-5 is left in namespace cancel");
    assertThat(labelled("c-5")).isEmpty();
  }

  @Test
  void cancellingWhatIsNotThereIsSaidSo() throws Exception {
    submit("c-4", 1);
    assertThat(datapass("cancel", "c-4").code()).isZero();

    Result again = datapass("cancel", "c-4");

    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("datapass cancel: no submission c-4 in namespace cancel");
  }

  @Test
  void aReleaseOfAnotherChartIsLeftAlone() throws Exception {
    // a user's pod under the name: never ready here (no kubelet), so start leaves it installed
    Result started =
        datapass(
            "user",
            "start",
            Run.VALUES.resolve("savu.yaml").toString(),
            "--name",
            "c5",
            "--uid",
            "1000",
            "--gid",
            "1000",
            "--timeout",
            "1");
    assertThat(started.code()).as(started.toString()).isEqualTo(1);

    Result cancel = datapass("cancel", "savu-c5");

    assertThat(cancel.code()).as(cancel.toString()).isEqualTo(2);
    assertThat(cancel.err())
        .contains("the release savu-c5 in namespace " + NS + " is no submission")
        .contains("(its chart is user-pod-");
    assertThat(helmSecrets("savu-c5")).hasSize(1);
  }
}
