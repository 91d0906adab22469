package io.datapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.cli.Run.Result;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code datapass submit} on a real cluster (the one KUBECONFIG names: ci/cluster's local one in
 * CI; -Pe2e), in a namespace enforcing the restricted Pod Security Standard: five inputs served
 * over HTTP by a pod of the test run as five indexes of the batch-job chart's Job, each fetching
 * its own; watch, status and logs follow them; cancel leaves nothing.
 */
@Timeout(600)
class SubmitOnClusterIT {
  private static final int TASKS = 5;
  private static KubernetesClient k8s;
  private static String ns;
  private static String kubeconfig;

  @TempDir static Path dir;

  @BeforeAll
  static void namespace() {
    kubeconfig = System.getenv("KUBECONFIG");
    if (kubeconfig == null || !Files.isReadable(Path.of(kubeconfig))) {
      throw new IllegalStateException(
          "set KUBECONFIG to a cluster's kubeconfig (ci/cluster kubeconfig)");
    }
    k8s = new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
    ns = "cli-e2e-" + UUID.randomUUID().toString().substring(0, 8);
    k8s.namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .withLabels(Map.of("pod-security.kubernetes.io/enforce", "restricted"))
                .endMetadata()
                .build())
        .create();
    k8s.serviceAccounts()
        .inNamespace(ns)
        .withName("default")
        .waitUntilCondition(sa -> sa != null, 60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void cleanUp() {
    if (k8s != null) {
      k8s.namespaces().withName(ns).delete();
      k8s.close();
    }
  }

  private static Result datapass(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--namespace", ns));
    return Run.isolated(dir).env("KUBECONFIG", kubeconfig).datapass(all.toArray(String[]::new));
  }

  /** A web server in the namespace serving part-0.txt ... part-4.txt; its Service's address. */
  private static String inputServer() {
    String security =
        "securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}";
    String yaml =
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: inputs, labels: {app: inputs}}
        spec:
          securityContext: {runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: {type: RuntimeDefault}}
          volumes: [{name: www, emptyDir: {}}]
          containers:
          - name: httpd
            image: %s
            imagePullPolicy: IfNotPresent
            command: [sh, -c, 'for i in 0 1 2 3 4; do echo "input part $i" > /www/part-$i.txt; done; exec httpd -f -p 8080 -h /www']
            volumeMounts: [{name: www, mountPath: /www}]
            readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
            %s
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: inputs}
        spec:
          selector: {app: inputs}
          ports: [{port: 80, targetPort: 8080}]
        """
            .formatted(
                System.getProperty("datapass.image.busybox", "datapass/busybox:test"), security);
    k8s.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .inNamespace(ns)
        .create();
    k8s.pods().inNamespace(ns).withName("inputs").waitUntilReady(2, TimeUnit.MINUTES);
    return k8s.services().inNamespace(ns).withName("inputs").get().getSpec().getClusterIP();
  }

  @Test
  void fiveInputsRunAsFiveIndexesToTheEndAndCancelLeavesNothing() throws Exception {
    String server = inputServer();
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      inputs.add("http://" + server + "/part-" + i + ".txt");
    }
    Path list = Files.write(dir.resolve("inputs.txt"), inputs);
    Path values =
        Files.writeString(
            dir.resolve("e2e.yaml"),
            """
            submission: {experiment: cli-e2e}
            agentImage: {tag: "%s"}
            payload:
              image: %s
              command: cat /workdir/input/*.txt | tee /workdir/output/seen.txt
              resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 64Mi}}
            """
                .formatted(
                    System.getProperty("datapass.image.tag", "0.1.0-SNAPSHOT"),
                    System.getProperty("datapass.image.busybox", "datapass/busybox:test")));

    Result submit =
        datapass("submit", values.toString(), "--inputs", list.toString(), "--name", "five");
    Result watch = datapass("watch", "five", "--timeout", "300");
    Result status = datapass("status", "five");
    Result logs = datapass("logs", "five", "--task", "3");

    assertThat(submit.code()).as(submit.toString()).isZero();
    assertThat(submit.out())
        .startsWith("Submitted five to namespace " + ns + ": 5 tasks, all at once.");
    assertThat(watch.code()).as(watch.toString()).isZero();
    assertThat(watch.out()).endsWith("Submission five succeeded: its Job completed\n");
    for (int i = 0; i < TASKS; i++) {
      assertThat(watch.out()).contains("task " + i + ": DONE");
    }
    assertThat(status.code()).as(status.toString()).isZero();
    assertThat(status.out()).contains(": Complete; 5 tasks: 5 succeeded, 0 failed, 0 active");
    assertThat(status.out().lines().filter(l -> l.matches("^[0-4] +DONE +1 +.*five-[0-4]-.*")))
        .hasSize(TASKS);
    assertThat(logs.code()).as(logs.toString()).isZero();
    assertThat(logs.out()).isEqualTo("input part 3\n");

    Result cancel = datapass("cancel", "five");

    assertThat(cancel.code()).as(cancel.toString()).isZero();
    assertThat(cancel.out()).contains("Nothing of five is left in namespace " + ns);
    String label = "datapass.io/submission";
    assertThat(k8s.batch().v1().jobs().inNamespace(ns).withLabel(label, "five").list().getItems())
        .isEmpty();
    assertThat(k8s.pods().inNamespace(ns).withLabel(label, "five").list().getItems()).isEmpty();
    assertThat(k8s.configMaps().inNamespace(ns).withLabel(label, "five").list().getItems())
        .isEmpty();
    assertThat(k8s.serviceAccounts().inNamespace(ns).withLabel(label, "five").list().getItems())
        .isEmpty();
    assertThat(k8s.rbac().roles().inNamespace(ns).withLabel(label, "five").list().getItems())
        .isEmpty();
    assertThat(k8s.secrets().inNamespace(ns).withLabel("owner", "helm").list().getItems())
        .isEmpty();
    assertThat(k8s.v1().events().inNamespace(ns).list().getItems())
        .allSatisfy(e -> assertThat(e.getInvolvedObject().getName()).doesNotStartWith("five"));
    assertThat(datapass("list").out()).isEqualTo("No submissions in namespace " + ns + ".\n");
  }

  @Test
  void aUsersPodStartsAsTheUserServesItsPortAndStopLeavesNothing() throws Exception {
    Path values =
        Files.writeString(
            dir.resolve("user.yaml"),
            """
            # chart: user-pod
            experiment: cli-e2e
            containers:
              web:
                image: %s
                command: [sh, -c, 'echo "served as $(id -u):$(id -g)" > /tmp/index.html && exec httpd -f -p 8080 -h /tmp']
                ports: {http: 8080}
            """
                .formatted(System.getProperty("datapass.image.busybox", "datapass/busybox:test")));
    String[] who = {"--name", "Jane.Doe"};

    Result start =
        datapass(
            concat(
                new String[] {"user", "start", values.toString(), "--uid", "4321", "--gid", "4322"},
                who));
    Result status = datapass(concat(new String[] {"user", "status", values.toString()}, who));

    assertThat(start.code()).as(start.toString()).isZero();
    assertThat(status.code()).as(status.toString()).isZero();
    String pod =
        k8s.pods()
            .inNamespace(ns)
            .withLabel("app.kubernetes.io/component", "user-pod")
            .list()
            .getItems()
            .get(0)
            .getMetadata()
            .getName();
    assertThat(pod).startsWith("cli-e2e-jane-doe-");
    // Ready: the kubelet's probe reached the tool on its port, running as the user in "restricted"
    assertThat(start.out()).contains(": Running, ready, uid 4321, gid 4322,");
    assertThat(status.out()).contains("  runs as    uid 4321, gid 4322, fsGroup 4322\n");
    assertThat(
            k8s.services()
                .inNamespace(ns)
                .withName(pod)
                .get()
                .getSpec()
                .getPorts()
                .get(0)
                .getPort())
        .isEqualTo(80);

    Result stop = datapass(concat(new String[] {"user", "stop", values.toString()}, who));
    Result again = datapass(concat(new String[] {"user", "stop", values.toString()}, who));
    Result gone = datapass(concat(new String[] {"user", "status", values.toString()}, who));

    assertThat(stop.code()).as(stop.toString()).isZero();
    assertThat(k8s.pods().inNamespace(ns).withName(pod).get()).isNull();
    assertThat(k8s.services().inNamespace(ns).withName(pod).get()).isNull();
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(gone.code()).as(gone.toString()).isEqualTo(1);
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
