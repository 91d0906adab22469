package io.datapass.cli;

import io.datapass.cli.helm.Releases;
import io.datapass.common.ConfigException;
import io.datapass.kube.KubernetesAccess;
import io.datapass.kube.KubernetesConfigException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** Which cluster and namespace a command works in: {@code --kubeconfig}, {@code --namespace}. */
public final class ClusterOptions {
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final int API_RETRIES = 3;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "The cluster and credentials (default: $KUBECONFIG, else ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      description = "Default: the kubeconfig context's namespace, else \"default\".")
  String namespace;

  /** The server and how it was reached, once connected (for errors); else null. */
  private String where;

  public String where() {
    return where;
  }

  /**
   * Connects as the kubeconfig says, else as the pod's service account in a pod without one; a
   * missing or unreadable kubeconfig is a usage error.
   */
  public Cluster connect(Invocation invocation)
      throws ConfigException, KubernetesConfigException, IOException {
    Path file = kubeconfig(invocation);
    if (file == null) {
      Cluster cluster =
          InClusterAccess.connect(
              invocation, namespace, KubernetesAccess.Retries.standard(API_RETRIES));
      where = cluster.where();
      return cluster;
    }
    Config config = KubeconfigFile.read(file, named(invocation));
    KubernetesClient client =
        KubernetesAccess.client(config, KubernetesAccess.Retries.standard(API_RETRIES));
    String chosen = namespace != null ? namespace : client.getNamespace();
    where = where(config, file);
    return new Cluster(client, new Releases(file, checked(chosen)), where, () -> {});
  }

  /** The server, the kubeconfig and its context: what an error about the cluster names. */
  private static String where(Config config, Path file) {
    String context =
        config.getCurrentContext() == null
            ? ""
            : ", context " + config.getCurrentContext().getName();
    return config.getMasterUrl() + " (kubeconfig " + file + context + ")";
  }

  /** How the user gave the kubeconfig, to start an error about it. */
  private String named(Invocation invocation) {
    if (kubeconfig != null) {
      return "--kubeconfig ";
    }
    return invocation.env("KUBECONFIG") != null ? "KUBECONFIG: " : "";
  }

  /**
   * The namespace without connecting (a dry run): the flag, else the kubeconfig's context when
   * there is a kubeconfig, else "default".
   */
  public String namespaceOffline(Invocation invocation) throws ConfigException {
    if (namespace != null) {
      return checked(namespace);
    }
    if (kubeconfig != null) {
      // a file the user named is checked, as a run without --dry-run would
      return checked(KubeconfigFile.read(kubeconfig(invocation), named(invocation)).getNamespace());
    }
    try {
      Path file = kubeconfig(invocation);
      return checked(
          file == null
              ? InClusterAccess.namespace(invocation)
              : KubeconfigFile.read(file, named(invocation)).getNamespace());
    } catch (ConfigException | RuntimeException noKubeconfig) {
      return "default";
    }
  }

  /** The kubeconfig to use, or null in a pod without one (its service account is used). */
  private Path kubeconfig(Invocation invocation) throws ConfigException {
    if (kubeconfig != null) {
      if (!Files.isReadable(kubeconfig)) {
        throw new ConfigException("--kubeconfig " + kubeconfig + ": cannot read it");
      }
      return kubeconfig;
    }
    String listed = invocation.env("KUBECONFIG");
    if (listed != null) {
      // KUBECONFIG may list several files; the first readable one is taken whole
      for (String entry : listed.split(":")) {
        if (!entry.isBlank() && Files.isReadable(Path.of(entry))) {
          return Path.of(entry);
        }
      }
      throw new ConfigException("KUBECONFIG=" + listed + " names no readable file");
    }
    String home = invocation.env("HOME");
    Path standard = Path.of(home != null ? home : System.getProperty("user.home"), ".kube/config");
    if (!Files.isReadable(standard)) {
      if (InClusterAccess.applies(invocation)) {
        return null;
      }
      throw new ConfigException(
          "no kubeconfig: give --kubeconfig FILE or set KUBECONFIG (there is none at "
              + standard
              + "; in a pod, KUBERNETES_SERVICE_HOST and the service account are used)");
    }
    return standard;
  }

  static String checked(String name) throws ConfigException {
    if (name == null || name.isBlank()) {
      return "default";
    }
    if (!NAMESPACE.matcher(name).matches()) {
      throw new ConfigException(
          "--namespace '" + name + "' is not a namespace name (a DNS label: a-z, 0-9, '-')");
    }
    return name;
  }
}
