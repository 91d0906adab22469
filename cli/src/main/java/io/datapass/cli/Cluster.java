package io.datapass.cli;

import io.datapass.cli.helm.Releases;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The cluster a command works on, both ways in: the API server (fabric8) and Helm's releases
 * (helm-java), in one namespace; {@code where} names the server and how it was reached, for errors.
 */
public record Cluster(KubernetesClient client, Releases releases, String where, Runnable cleanup)
    implements AutoCloseable {
  public String namespace() {
    return releases.namespace();
  }

  @Override
  public void close() {
    client.close();
    cleanup.run();
  }
}
