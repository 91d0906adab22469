package io.datapass.cleanup;

import io.datapass.common.ConfigException;
import io.datapass.common.Secrets;
import io.datapass.kube.KubernetesAccess;
import io.datapass.kube.KubernetesConfigException;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a finished job's Kubernetes objects through the API server, as the pod's service account
 * (a Role allowing {@code delete} on {@code jobs} and {@code persistentvolumeclaims} is enough). A
 * Job goes with background propagation: the API server removes the Job at once and the garbage
 * collector its pods after it (the default for Jobs would orphan them; foreground would keep the
 * Job until its pods are gone). A claim is removed once no pod object that mounts it exists: for
 * one the cleanup pod mounts itself, once its own Job goes (give that Job a {@code
 * ttlSecondsAfterFinished}). Answers 429 and 5xx, and connection failures, are retried by the
 * client.
 */
final class ObjectDeleter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ObjectDeleter.class);

  private final KubernetesClient client;

  private ObjectDeleter(KubernetesClient client) {
    this.client = client;
  }

  /** The pod's own access; a usage error when the agent does not run in a pod that has it. */
  static ObjectDeleter inCluster(Map<String, String> env, int retries) throws ConfigException {
    try {
      return new ObjectDeleter(
          KubernetesAccess.inCluster(
              env, KubernetesAccess.Retries.standard(retries), Secrets::hide));
    } catch (KubernetesConfigException e) {
      throw new ConfigException("--delete needs the pod's service account: " + e.getMessage());
    }
  }

  /**
   * Deletes the object; one already gone counts as deleted. Refused by RBAC, it is a usage error:
   * no retry of the pod can change that, and the outputs are stored by then.
   */
  void delete(DeleteTarget target) throws IOException, ConfigException {
    String namespace = client.getNamespace();
    List<StatusDetails> deleted;
    try {
      deleted =
          switch (target.kind()) {
            case JOB ->
                client
                    .batch()
                    .v1()
                    .jobs()
                    .withName(target.name())
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                    .delete();
            case PVC -> client.persistentVolumeClaims().withName(target.name()).delete();
          };
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new ConfigException(
            "deleting "
                + target
                + " in namespace "
                + namespace
                + " was refused ("
                + reason(e)
                + "): the pod's service account needs a Role allowing delete on "
                + target.kind().resource);
      }
      throw new IOException(
          "deleting " + target + " in namespace " + namespace + ": " + reason(e), e);
    }
    log.info(
        deleted.isEmpty() ? "{} in namespace {} was already gone" : "deleted {} in namespace {}",
        target,
        namespace);
  }

  /** The API server's own message, or what kept the request from it. */
  static String reason(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return "HTTP " + e.getCode() + ": " + e.getStatus().getMessage();
    }
    Throwable cause = e.getCause();
    // a failed connection comes wrapped in exceptions without a message of their own
    while (cause != null && cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return e.getCode() > 0
        ? "HTTP " + e.getCode() + ": " + e.getMessage()
        : cause != null ? cause.toString() : e.getMessage();
  }

  @Override
  public void close() {
    client.close();
  }
}
