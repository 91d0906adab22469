package io.datapass.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.datapass.cli.helm.Releases;
import io.datapass.common.ConfigException;
import io.datapass.kube.KubernetesAccess;
import io.datapass.kube.KubernetesConfigException;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pod's service account, for a command run in a pod without a kubeconfig (GitLab's Kubernetes
 * executor): fabric8 as the agents connect ({@link KubernetesAccess#inCluster}), and for Helm a
 * kubeconfig of the command's own that names the mounted token and CA by path, never their content.
 */
final class InClusterAccess {
  private static final YAMLMapper YAML = new YAMLMapper();

  private InClusterAccess() {}

  /** In a pod: Kubernetes sets KUBERNETES_SERVICE_HOST in every container. */
  static boolean applies(Invocation invocation) {
    return invocation.env("KUBERNETES_SERVICE_HOST") != null;
  }

  /** The namespace the service account lives in, or null when it cannot be read. */
  static String namespace(Invocation invocation) {
    try {
      return Files.readString(account(invocation).resolve("namespace")).strip();
    } catch (IOException unreadable) {
      return null;
    }
  }

  static Cluster connect(
      Invocation invocation, String namespaceFlag, KubernetesAccess.Retries retries)
      throws ConfigException, KubernetesConfigException, IOException {
    KubernetesClient client = KubernetesAccess.inCluster(invocation.env(), retries, token -> {});
    String server = client.getMasterUrl().toString();
    try {
      String namespace =
          ClusterOptions.checked(namespaceFlag != null ? namespaceFlag : client.getNamespace());
      TemporaryDirectory scratch = TemporaryDirectory.create("datapass-in-cluster-");
      Path kubeconfig = scratch.resolve("kubeconfig");
      YAML.writeValue(kubeconfig.toFile(), kubeconfig(server, invocation));
      return new Cluster(
          client,
          new Releases(kubeconfig, namespace),
          server + " (the pod's service account)",
          scratch::close);
    } catch (ConfigException | IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  private static ObjectNode kubeconfig(String server, Invocation invocation) {
    Path account = account(invocation);
    ObjectNode root = YAML.createObjectNode().put("apiVersion", "v1").put("kind", "Config");
    root.putArray("clusters")
        .addObject()
        .put("name", "in-cluster")
        .putObject("cluster")
        .put("server", server)
        .put("certificate-authority", account.resolve("ca.crt").toString());
    root.putArray("users")
        .addObject()
        .put("name", "service-account")
        .putObject("user")
        .put("tokenFile", account.resolve("token").toString());
    root.putArray("contexts")
        .addObject()
        .put("name", "in-cluster")
        .putObject("context")
        .put("cluster", "in-cluster")
        .put("user", "service-account");
    return root.put("current-context", "in-cluster");
  }

  private static Path account(Invocation invocation) {
    String dir = invocation.env(KubernetesAccess.SERVICE_ACCOUNT_DIR);
    return dir == null ? KubernetesAccess.SERVICE_ACCOUNT : Path.of(dir);
  }
}
