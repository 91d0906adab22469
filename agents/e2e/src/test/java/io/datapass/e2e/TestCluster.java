package io.datapass.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The cluster the end-to-end tests run on: the one {@code KUBECONFIG} names (ci/cluster's local
 * cluster in our CI, any cluster elsewhere), else K3s in Docker through Testcontainers when a
 * Docker engine is there. With neither, the tests fail: they never skip.
 */
final class TestCluster implements AutoCloseable {
  static final String K3S_IMAGE = "rancher/k3s:v1.34.1-k3s1";

  private final KubernetesClient client;
  private final K3sContainer k3s;

  private TestCluster(KubernetesClient client, K3sContainer k3s) {
    this.client = client;
    this.k3s = k3s;
  }

  static TestCluster connect() throws Exception {
    String kubeconfig = System.getenv("KUBECONFIG");
    if (kubeconfig != null && !kubeconfig.isBlank() && Files.isReadable(Path.of(kubeconfig))) {
      return new TestCluster(
          new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build(), null);
    }
    if (DockerClientFactory.instance().isDockerAvailable()) {
      K3sContainer k3s = new K3sContainer(DockerImageName.parse(K3S_IMAGE));
      k3s.start();
      TestCluster cluster =
          new TestCluster(
              new KubernetesClientBuilder()
                  .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
                  .build(),
              k3s);
      for (String image : Images.tarballs()) {
        cluster.loadIntoK3s(Path.of(image));
      }
      return cluster;
    }
    throw new IllegalStateException(
        "no Kubernetes cluster for the e2e tests: set KUBECONFIG (ci/cluster up writes "
            + "one; ci/test does this) or provide a Docker engine with the "
            + K3S_IMAGE
            + " image");
  }

  KubernetesClient client() {
    return client;
  }

  private void loadIntoK3s(Path tarball) throws Exception {
    String inside = "/tmp/" + tarball.getFileName();
    k3s.copyFileToContainer(MountableFile.forHostPath(tarball), inside);
    var result =
        k3s.execInContainer(
            List.of("ctr", "-n", "k8s.io", "images", "import", inside).toArray(String[]::new));
    if (result.getExitCode() != 0) {
      throw new IllegalStateException(
          "loading " + tarball + " into k3s failed: " + result.getStderr());
    }
  }

  @Override
  public void close() {
    client.close();
    if (k3s != null) {
      k3s.stop();
    }
  }
}
