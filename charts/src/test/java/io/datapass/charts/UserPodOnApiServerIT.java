package io.datapass.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.datapass.kube.testing.ApiServerFixture;
import io.datapass.kube.testing.RbacRule;
import io.datapass.kube.testing.ServiceAccountLogin;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Savu user pod installed, tested and uninstalled with helm-java (as {@code datapass user
 * start|stop} does) by a user of a namespace that enforces "restricted", on a real kube-apiserver
 * 1.34 without a kubelet: what the API server admits, what {@code helm test} creates, what {@code
 * helm uninstall} leaves. That the pod runs and the Service answers needs a node: see the README.
 */
@DisplayName("user-pod installed on a real API server (restricted Pod Security)")
class UserPodOnApiServerIT {
  private static final String NS = "savu";
  private static ApiServerFixture api;
  private static KubernetesClient admin;
  private static Path kubeconfig;

  @BeforeAll
  static void start() throws Exception {
    api = ApiServerFixture.start();
    admin = api.admin();
    // the user may do in the namespace what installing the chart needs: Helm keeps its releases in
    // Secrets
    ServiceAccountLogin user =
        api.serviceAccount(
            NS,
            "jdoe",
            new RbacRule(
                "", java.util.List.of("pods", "services", "secrets"), java.util.List.of("*")));
    admin
        .namespaces()
        .withName(NS)
        .edit(
            n -> {
              Map<String, String> labels = new java.util.HashMap<>();
              if (n.getMetadata().getLabels() != null) {
                labels.putAll(n.getMetadata().getLabels());
              }
              labels.put("pod-security.kubernetes.io/enforce", "restricted");
              n.getMetadata().setLabels(labels);
              return n;
            });
    kubeconfig = kubeconfig(user);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void theUserPodInstallsIsAdmittedAndHelmTestCreatesARestrictedPodThatFetchesTheService()
      throws IOException {
    Path chart = ChartCopy.withValues(io.datapass.charts.Helm.USER_POD);
    Release release =
        new Helm(chart)
            .install()
            .withName("savu-jdoe")
            .withNamespace(NS)
            .withKubeConfig(kubeconfig)
            .withValuesFile(io.datapass.charts.Helm.EXPERIMENTS.resolve("savu.yaml"))
            .withValuesFile(Values.savuUser().file())
            .call();

    assertThat(release.getStatus()).isEqualTo("deployed");
    assertThat(release.getOutput())
        .contains("kubectl -n savu port-forward service/savu-jdoe 8080:80");
    Pod pod = admin.pods().inNamespace(NS).withName("savu-jdoe").get();
    assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(37123L);
    assertThat(pod.getMetadata().getLabels()).containsEntry("datapass.io/user", "jdoe");
    Map<String, String> selector =
        admin.services().inNamespace(NS).withName("savu-jdoe").get().getSpec().getSelector();
    assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(selector);

    // no kubelet runs the test pod: helm test times out, the pod it created stays to be read
    assertThatThrownBy(
            () ->
                Helm.test("savu-jdoe")
                    .withNamespace(NS)
                    .withKubeConfig(kubeconfig)
                    .withTimeout(3)
                    .call())
        .isInstanceOf(IllegalStateException.class);
    Pod test = admin.pods().inNamespace(NS).withName("savu-jdoe-test").get();
    assertThat(test).as("helm test created its pod, admitted under restricted").isNotNull();
    assertThat(test.getMetadata().getAnnotations()).containsEntry("helm.sh/hook", "test");
    assertThat(test.getMetadata().getLabels())
        .as("the test pod must not receive the Service's traffic")
        .doesNotContainEntry("app.kubernetes.io/component", "user-pod");
    assertThat(test.getSpec().getEnableServiceLinks()).isTrue();
    assertThat(test.getSpec().getActiveDeadlineSeconds()).as("the fetch's bound").isEqualTo(60L);
    assertThat(test.getSpec().getContainers().get(0).getCommand().get(2))
        .contains("http://$SAVU_JDOE_SERVICE_HOST:$SAVU_JDOE_SERVICE_PORT/");

    String uninstalled =
        Helm.uninstall("savu-jdoe").withNamespace(NS).withKubeConfig(kubeconfig).call();

    assertThat(uninstalled).contains("savu-jdoe");
    assertThat(admin.pods().inNamespace(NS).withName("savu-jdoe").get()).isNull();
    assertThat(admin.services().inNamespace(NS).withName("savu-jdoe").get()).isNull();
    assertThat(admin.secrets().inNamespace(NS).withLabel("name", "savu-jdoe").list().getItems())
        .as("Helm's record of the release")
        .isEmpty();
  }

  /** A kubeconfig of the user's token, as {@code datapass user start} would be given. */
  private static Path kubeconfig(ServiceAccountLogin user) throws IOException {
    Path file = Files.createTempFile("datapass-kubeconfig-", ".yaml");
    file.toFile().deleteOnExit();
    Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters: [{name: test, cluster: {server: '"
                + api.url()
                + "', certificate-authority: '"
                + api.caFile()
                + "'}}]",
            "users: [{name: jdoe, user: {token: '" + user.token() + "'}}]",
            "contexts: [{name: test, context: {cluster: test, user: jdoe, namespace: " + NS + "}}]",
            "current-context: test",
            ""));
    return file;
  }
}
