package io.datapass.kube.testing;

import io.datapass.kube.KubernetesAccess;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A real API server for integration tests: the local cluster's own etcd and kube-apiserver ({@link
 * KubeBinaries}), on loopback ports, in a temporary directory, without a kubelet or
 * controller-manager (Jobs, claims and pods are only objects; nothing runs them, and no garbage
 * collector deletes dependents). RBAC is on; the admin is a static token in {@code system:masters};
 * service accounts get tokens through the TokenRequest API ({@link #serviceAccount}). The serving
 * certificate is the one kube-apiserver makes itself.
 */
public final class ApiServerFixture implements AutoCloseable {
  private static final int PORT_ATTEMPTS = 5;

  private final KubeBinaries binaries = KubeBinaries.locate();
  private final Path dir;
  private final String adminToken = UUID.randomUUID().toString();
  private Daemon etcd;
  private Daemon apiServer;
  private int etcdPort;
  private int apiPort;
  private KubernetesClient admin;
  private final List<ServiceAccountLogin> logins =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private ApiServerFixture(Path dir) {
    this.dir = dir;
  }

  /** Starts etcd and kube-apiserver and waits until the API server is ready (a few seconds). */
  public static ApiServerFixture start() throws IOException, InterruptedException {
    ApiServerFixture fixture =
        new ApiServerFixture(Files.createTempDirectory("datapass-apiserver-"));
    // a test JVM that dies without closing the fixture does not leave the servers running
    Runtime.getRuntime().addShutdownHook(new Thread(fixture::close));
    try {
      fixture.prepare();
      fixture.startEtcd();
      fixture.startApiServer();
      return fixture;
    } catch (IOException | InterruptedException | RuntimeException e) {
      fixture.close();
      throw e;
    }
  }

  private void prepare() throws IOException {
    // one RSA key signs and verifies service-account tokens (PKCS#8 PEM, which kube-apiserver reads
    // for both)
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      String pem =
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
              + "\n-----END PRIVATE KEY-----\n";
      Files.writeString(dir.resolve("sa.key"), pem);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Files.writeString(
        dir.resolve("tokens.csv"),
        adminToken + ",datapass-admin,datapass-admin,\"system:masters\"\n");
  }

  private void startEtcd() throws IOException, InterruptedException {
    for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      int client = Daemon.freePort();
      int peer = Daemon.freePort();
      etcd =
          Daemon.launch(
              "etcd",
              List.of(
                  binaries.etcd().toString(),
                  "--name",
                  "default",
                  "--data-dir",
                  dir.resolve("etcd").toString(),
                  "--listen-client-urls",
                  "http://127.0.0.1:" + client,
                  "--advertise-client-urls",
                  "http://127.0.0.1:" + client,
                  "--listen-peer-urls",
                  "http://127.0.0.1:" + peer,
                  "--initial-advertise-peer-urls",
                  "http://127.0.0.1:" + peer,
                  "--initial-cluster",
                  "default=http://127.0.0.1:" + peer,
                  "--unsafe-no-fsync",
                  "--log-level",
                  "warn"),
              dir);
      etcdPort = client;
      if (etcd.awaitHealthy(URI.create("http://127.0.0.1:" + client + "/health"), null, null)) {
        return;
      }
    }
    throw new IllegalStateException("etcd found no free port in " + PORT_ATTEMPTS + " attempts");
  }

  /** Starts kube-apiserver (again, after {@link #stopApiServer}: same port, same data). */
  public void startApiServer() throws IOException, InterruptedException {
    for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      int port = apiPort != 0 && attempt == 1 ? apiPort : Daemon.freePort();
      apiServer =
          Daemon.launch(
              "kube-apiserver",
              List.of(
                  binaries.apiServer().toString(),
                  "--etcd-servers=http://127.0.0.1:" + etcdPort,
                  "--bind-address=127.0.0.1",
                  "--advertise-address=127.0.0.1",
                  "--secure-port=" + port,
                  "--cert-dir=" + dir.resolve("certs"),
                  "--token-auth-file=" + dir.resolve("tokens.csv"),
                  "--authorization-mode=RBAC",
                  "--service-cluster-ip-range=10.96.0.0/24",
                  "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                  "--service-account-key-file=" + dir.resolve("sa.key"),
                  "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                  "--enable-priority-and-fairness=false",
                  "--profiling=false"),
              dir);
      if (port != apiPort && admin != null) {
        admin.close(); // it knows the old port
        admin = null;
      }
      apiPort = port;
      if (apiServer.awaitHealthy(URI.create(url() + "/readyz"), "Bearer " + adminToken, caFile())) {
        // ready is not yet authorizing as before: its RBAC caches fill after it
        logins.forEach(ServiceAccountLogin::awaitAuthorized);
        return;
      }
    }
    throw new IllegalStateException(
        "kube-apiserver found no free port in " + PORT_ATTEMPTS + " attempts");
  }

  /**
   * Stops kube-apiserver (etcd keeps the objects): requests fail to connect until {@link
   * #startApiServer}.
   */
  public void stopApiServer() throws InterruptedException {
    if (apiServer != null) {
      apiServer.stop();
      apiServer = null;
    }
  }

  /** {@code https://127.0.0.1:PORT}. */
  public String url() {
    return "https://127.0.0.1:" + apiPort;
  }

  public int port() {
    return apiPort;
  }

  /**
   * The certificate kube-apiserver made for itself, with the CA that signed it: what clients trust.
   */
  public Path caFile() {
    return dir.resolve("certs/apiserver.crt");
  }

  /**
   * A client as the cluster's administrator (in {@code system:masters}: RBAC allows it everything).
   */
  public synchronized KubernetesClient admin() {
    if (admin == null) {
      admin =
          KubernetesAccess.client(
              new ConfigBuilder(Config.empty())
                  .withMasterUrl(url())
                  .withCaCertFile(caFile().toString())
                  .withOauthToken(adminToken)
                  .build(),
              new KubernetesAccess.Retries(3, Duration.ofMillis(200)));
    }
    return admin;
  }

  /**
   * A client with a bearer token, as any pod or user with it would talk to the server (no retries).
   */
  public KubernetesClient clientWith(String token, String namespace) {
    return KubernetesAccess.client(
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url())
            .withCaCertFile(caFile().toString())
            .withOauthToken(token)
            .withNamespace(namespace)
            .build(),
        new KubernetesAccess.Retries(0, Duration.ofMillis(100)));
  }

  /**
   * The status the API server answers a GET of {@code path} with {@code token}, over HTTP/1.1: over
   * HTTP/2 it closes the connection of a client it does not authenticate (GOAWAY), which clients
   * report as an I/O error.
   */
  public int statusFor(String token, String path) throws IOException, InterruptedException {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(TrustedCertificates.context(caFile()))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    return client
        .send(
            HttpRequest.newBuilder(URI.create(url() + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /**
   * A service account in {@code namespace} (created as needed) allowed {@code rules} there, with a
   * token.
   */
  public ServiceAccountLogin serviceAccount(String namespace, String name, RbacRule... rules) {
    ServiceAccountLogin login = ServiceAccountLogin.create(this, namespace, name, List.of(rules));
    logins.add(login);
    return login;
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close();
      admin = null;
    }
    try {
      stopApiServer();
      if (etcd != null) {
        etcd.stop();
        etcd = null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory
    }
  }
}
