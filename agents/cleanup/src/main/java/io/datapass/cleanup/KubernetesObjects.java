package io.datapass.cleanup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.common.ConfigException;
import io.datapass.common.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a finished job's Kubernetes objects (its Job, its volume claims) through the API server, as the pod's
 * service account: the in-cluster address from {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}, the token, CA and
 * namespace Kubernetes mounts into the pod. A Job is deleted with its pods (background propagation). A claim is
 * removed once no pod object that mounts it exists: for one the cleanup pod mounts itself, once its Job is deleted
 * (give that Job a {@code ttlSecondsAfterFinished}).
 */
final class KubernetesObjects {
  private static final Logger log = LoggerFactory.getLogger(KubernetesObjects.class);
  static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  /** An object to delete: {@code job/NAME} or {@code pvc/NAME}. */
  record Target(String kind, String name) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    static Target parse(String text) throws ConfigException {
      int slash = text.indexOf('/');
      String kind = slash < 0 ? "" : text.substring(0, slash);
      String name = slash < 0 ? "" : text.substring(slash + 1);
      if (!kind.equals("job") && !kind.equals("pvc")) {
        throw new ConfigException("--delete takes job/NAME or pvc/NAME, got '" + text + "'");
      }
      if (!NAME.matcher(name).matches()) {
        throw new ConfigException("--delete " + text + ": '" + name + "' is not a Kubernetes object name");
      }
      return new Target(kind, name);
    }

    String path(String namespace) {
      return kind.equals("job")
          ? "/apis/batch/v1/namespaces/" + namespace + "/jobs/" + name + "?propagationPolicy=Background"
          : "/api/v1/namespaces/" + namespace + "/persistentvolumeclaims/" + name;
    }

    @Override
    public String toString() {
      return kind + "/" + name;
    }
  }

  private final String api;
  private final String namespace;
  private final String token;
  private final SSLSocketFactory tls;

  private KubernetesObjects(String api, String namespace, String token, SSLSocketFactory tls) {
    this.api = api;
    this.namespace = namespace;
    this.token = token;
    this.tls = tls;
  }

  /** The pod's own API access; a clear error when the agent does not run in a pod that has it. */
  static KubernetesObjects inCluster(Map<String, String> env, Path serviceAccount) throws ConfigException {
    String host = env.get("KUBERNETES_SERVICE_HOST");
    String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
    if (host == null || host.isBlank()) {
      throw new ConfigException("--delete works in a pod only: KUBERNETES_SERVICE_HOST is not set");
    }
    Path tokenFile = serviceAccount.resolve("token");
    if (!Files.isReadable(tokenFile)) {
      throw new ConfigException("--delete needs the pod's service account token, and " + tokenFile
          + " is not there (automountServiceAccountToken: false?)");
    }
    try {
      String token = Files.readString(tokenFile).strip();
      Secrets.hide(token);
      String namespace = Files.readString(serviceAccount.resolve("namespace")).strip();
      String address = host.contains(":") ? "[" + host + "]" : host;
      return new KubernetesObjects("https://" + address + ":" + port, namespace, token,
          trusting(serviceAccount.resolve("ca.crt")));
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("cannot read the service account in " + serviceAccount + ": " + e.getMessage());
    }
  }

  private static SSLSocketFactory trusting(Path caFile) throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      int i = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trusted.setCertificateEntry("ca-" + i++, certificate);
      }
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context.getSocketFactory();
  }

  /** Deletes the object; one already gone counts as deleted. */
  void delete(Target target) throws IOException {
    HttpsURLConnection connection = (HttpsURLConnection) URI.create(api + target.path(namespace)).toURL()
        .openConnection();
    connection.setSSLSocketFactory(tls);
    connection.setRequestMethod("DELETE");
    connection.setRequestProperty("Authorization", "Bearer " + token);
    connection.setRequestProperty("Accept", "application/json");
    connection.setConnectTimeout(10_000);
    connection.setReadTimeout(30_000);
    int status = connection.getResponseCode();
    if (status == HttpURLConnection.HTTP_OK || status == HttpURLConnection.HTTP_ACCEPTED) {
      log.info("deleted {} in namespace {}", target, namespace);
    } else if (status == HttpURLConnection.HTTP_NOT_FOUND) {
      log.info("{} in namespace {} was already gone", target, namespace);
    } else {
      throw new IOException("deleting " + target + " in namespace " + namespace + ": HTTP " + status + " "
          + messageOf(connection) + (status == HttpURLConnection.HTTP_FORBIDDEN
              ? " (the pod's service account needs a Role allowing delete on it)" : ""));
    }
  }

  /** The message of the API server's Status answer, else its body as it came. */
  private static String messageOf(HttpURLConnection connection) {
    try (InputStream error = connection.getErrorStream()) {
      String body = error == null ? "" : new String(error.readAllBytes(), StandardCharsets.UTF_8);
      try {
        return new ObjectMapper().readTree(body).path("message").asText(body.strip());
      } catch (JsonProcessingException notJson) {
        return body.strip();
      }
    } catch (IOException e) {
      return "";
    }
  }
}
