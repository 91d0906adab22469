package io.datapass.cli;

import io.datapass.cli.helm.Releases;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The cluster a command works on, both ways in: the API server (fabric8) and Helm's releases
 * (helm-java), in one namespace.
 */
public record Cluster(KubernetesClient client, Releases releases) implements AutoCloseable {
  public String namespace() {
    return releases.namespace();
  }

  @Override
  public void close() {
    client.close();
  }
}
