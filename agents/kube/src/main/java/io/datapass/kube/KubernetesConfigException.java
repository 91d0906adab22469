package io.datapass.kube;

/**
 * The agent cannot reach the API server as configured (not in a pod, no token mounted): a usage
 * error.
 */
public final class KubernetesConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public KubernetesConfigException(String message) {
    super(message);
  }
}
