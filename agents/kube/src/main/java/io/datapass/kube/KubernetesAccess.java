package io.datapass.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The agents' clients for the API server: fabric8 on the JDK's HttpClient (no OkHttp or Vert.x to
 * carry), either as the pod's service account or from a kubeconfig for local runs. fabric8 itself
 * retries a request answered 429 or 5xx, or failing on a connection error (refused, reset), waiting
 * {@code firstWait} doubled each time (at most 32 times it), {@link Retries#limit} times; {@link
 * RetryLog} says so in the log.
 */
public final class KubernetesAccess {
  /** Where Kubernetes mounts the pod's service account: token, ca.crt, namespace. */
  public static final Path SERVICE_ACCOUNT =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  /**
   * Names another directory holding the same three files (a projected volume mounted elsewhere).
   */
  public static final String SERVICE_ACCOUNT_DIR = "DATAPASS_SERVICE_ACCOUNT_DIR";

  private static final int CONNECT_TIMEOUT_MS = 10_000;
  private static final int REQUEST_TIMEOUT_MS = 30_000;

  /** How often a request answered 429 or 5xx, or failing to connect, is tried again. */
  public record Retries(int limit, Duration firstWait) {
    public Retries {
      if (limit < 0 || firstWait.isNegative()) {
        throw new IllegalArgumentException(
            "retries must be >= 0 with a positive wait, got " + limit);
      }
    }

    /** {@code limit} retries, the first after half a second: 5 retries wait up to 15.5 s in all. */
    public static Retries standard(int limit) {
      return new Retries(limit, Duration.ofMillis(500));
    }
  }

  private KubernetesAccess() {}

  /**
   * The pod's own access: the API server at {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} of {@code
   * env}, the token (re-read for every request), CA and namespace from the mounted service account,
   * in the directory {@value #SERVICE_ACCOUNT_DIR} names or else {@link #SERVICE_ACCOUNT}.
   *
   * @param onNewToken told each token read, to keep it out of logs
   */
  public static KubernetesClient inCluster(
      Map<String, String> env, Retries retries, Consumer<String> onNewToken)
      throws KubernetesConfigException {
    String host = env.get("KUBERNETES_SERVICE_HOST");
    String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
    if (host == null || host.isBlank()) {
      throw new KubernetesConfigException("KUBERNETES_SERVICE_HOST is not set (not in a pod)");
    }
    String dir = env.get(SERVICE_ACCOUNT_DIR);
    Path account = dir == null || dir.isBlank() ? SERVICE_ACCOUNT : Path.of(dir);
    Path tokenFile = account.resolve("token");
    if (!Files.isReadable(tokenFile)) {
      throw new KubernetesConfigException(
          "no token at " + tokenFile + " (automountServiceAccountToken: false?)");
    }
    try {
      ServiceAccountToken token = new ServiceAccountToken(tokenFile, onNewToken);
      String namespace = Files.readString(account.resolve("namespace")).strip();
      String address = host.contains(":") ? "[" + host + "]" : host;
      Config config =
          new ConfigBuilder(Config.empty())
              .withMasterUrl("https://" + address + ":" + port)
              .withCaCertFile(account.resolve("ca.crt").toString())
              .withNamespace(namespace)
              .withOauthTokenProvider(token)
              .build();
      return client(config, retries);
    } catch (IOException e) {
      throw new KubernetesConfigException(
          "cannot read the service account in " + account + ": " + e.getMessage());
    }
  }

  /** Access as a kubeconfig file says (its current context), for runs outside a pod. */
  public static KubernetesClient fromKubeconfig(Path kubeconfig, Retries retries)
      throws KubernetesConfigException {
    if (!Files.isReadable(kubeconfig)) {
      throw new KubernetesConfigException("cannot read the kubeconfig " + kubeconfig);
    }
    try {
      return client(Config.fromKubeconfig(kubeconfig.toFile()), retries);
    } catch (KubernetesClientException e) {
      throw new KubernetesConfigException("kubeconfig " + kubeconfig + ": " + e.getMessage());
    }
  }

  /** A client on the JDK's HttpClient with these timeouts and retries. */
  public static KubernetesClient client(Config config, Retries retries) {
    Config tuned =
        new ConfigBuilder(config)
            .withConnectionTimeout(CONNECT_TIMEOUT_MS)
            .withRequestTimeout(REQUEST_TIMEOUT_MS)
            .withRequestRetryBackoffLimit(retries.limit())
            .withRequestRetryBackoffInterval((int) retries.firstWait().toMillis())
            .build();
    return new KubernetesClientBuilder()
        .withConfig(tuned)
        .withHttpClientFactory(new Http11ClientFactory())
        .withHttpClientBuilderConsumer(
            builder -> builder.addOrReplaceInterceptor(RetryLog.NAME, new RetryLog()))
        .build();
  }

  /**
   * The JDK's HttpClient speaking HTTP/1.1: over HTTP/2 kube-apiserver answers a token it does not
   * accept by closing the connection (GOAWAY, its guard against unauthenticated HTTP/2 clients),
   * which the client reports as an I/O error and fabric8 retries as if transient; over HTTP/1.1 the
   * 401 arrives as such. The agents make few requests.
   */
  private static final class Http11ClientFactory extends JdkHttpClientFactory {
    @Override
    protected void additionalConfig(java.net.http.HttpClient.Builder builder) {
      builder.version(java.net.http.HttpClient.Version.HTTP_1_1);
    }
  }
}
