package io.datapass.kube;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesAccessTest {
  @TempDir Path dir;

  @Test
  void outsideAPodInClusterAccessIsAConfigError() {
    assertThatThrownBy(
            () ->
                KubernetesAccess.inCluster(Map.of(), KubernetesAccess.Retries.standard(1), t -> {}))
        .isInstanceOf(KubernetesConfigException.class)
        .hasMessage("KUBERNETES_SERVICE_HOST is not set (not in a pod)");
  }

  @Test
  void aPodWithoutAMountedTokenIsAConfigError() {
    Map<String, String> env =
        Map.of(
            "KUBERNETES_SERVICE_HOST",
            "10.96.0.1",
            KubernetesAccess.SERVICE_ACCOUNT_DIR,
            dir.toString());
    assertThatThrownBy(
            () -> KubernetesAccess.inCluster(env, KubernetesAccess.Retries.standard(1), t -> {}))
        .isInstanceOf(KubernetesConfigException.class)
        .hasMessage(
            "no token at " + dir.resolve("token") + " (automountServiceAccountToken: false?)");
  }

  @Test
  void aMissingNamespaceFileIsAConfigError() throws Exception {
    Files.writeString(dir.resolve("token"), "a-token");
    Map<String, String> env =
        Map.of(
            "KUBERNETES_SERVICE_HOST",
            "10.96.0.1",
            KubernetesAccess.SERVICE_ACCOUNT_DIR,
            dir.toString());
    assertThatThrownBy(
            () -> KubernetesAccess.inCluster(env, KubernetesAccess.Retries.standard(1), t -> {}))
        .isInstanceOf(KubernetesConfigException.class)
        .hasMessageStartingWith("cannot read the service account in " + dir);
  }

  @Test
  void anUnreadableKubeconfigIsAConfigError() {
    Path missing = dir.resolve("missing.kubeconfig");
    assertThatThrownBy(
            () -> KubernetesAccess.fromKubeconfig(missing, KubernetesAccess.Retries.standard(1)))
        .isInstanceOf(KubernetesConfigException.class)
        .hasMessage("cannot read the kubeconfig " + missing);
  }
}
