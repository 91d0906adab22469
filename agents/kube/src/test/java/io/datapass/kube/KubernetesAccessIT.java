package io.datapass.kube;

import static io.datapass.kube.testing.RbacRule.allow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.kube.testing.ApiServerFixture;
import io.datapass.kube.testing.ServiceAccountLogin;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** In-cluster access as a pod's service account, against a real kube-apiserver with RBAC. */
@Timeout(180)
class KubernetesAccessIT {
  private static ApiServerFixture server;

  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = ApiServerFixture.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static KubernetesClient inCluster(
      Map<String, String> env, int retries, List<String> tokens) throws KubernetesConfigException {
    return KubernetesAccess.inCluster(
        env, new KubernetesAccess.Retries(retries, Duration.ofMillis(200)), tokens::add);
  }

  @Test
  void inAPodTheClientActsAsItsServiceAccountInItsNamespace() throws Exception {
    ServiceAccountLogin account =
        server.serviceAccount("reader", "reader", allow("", "configmaps", "get"));
    server
        .admin()
        .configMaps()
        .inNamespace("reader")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .endMetadata()
                .addToData("mode", "zip")
                .build())
        .create();
    Path mounted = account.mountAt(dir.resolve("serviceaccount"));
    List<String> tokens = new ArrayList<>();

    try (KubernetesClient client = inCluster(account.podEnvironment(mounted), 0, tokens)) {
      assertThat(client.getNamespace()).isEqualTo("reader");
      assertThat(client.configMaps().withName("settings").get().getData())
          .containsEntry("mode", "zip");
      assertThatThrownBy(() -> client.secrets().list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
    assertThat(tokens).containsExactly(account.token());
  }

  @Test
  void aTokenTheServerDoesNotAcceptIsRefusedAtOnceWith401() throws Exception {
    ServiceAccountLogin account =
        server.serviceAccount("stranger", "stranger", allow("", "configmaps", "list"));
    Path mounted = account.mountAt(dir.resolve("serviceaccount"));
    Files.writeString(mounted.resolve("token"), "not-a-token-of-this-cluster");
    try (KubernetesClient client =
        inCluster(account.podEnvironment(mounted), 5, new ArrayList<>())) {
      assertThatThrownBy(() -> client.configMaps().list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }
  }

  @Test
  void aRotatedTokenIsReadFromItsFileAgain() throws Exception {
    ServiceAccountLogin account =
        server.serviceAccount("rotate", "rotate", allow("", "configmaps", "list"));
    Secret first = bindingSecret("first");
    Secret second = bindingSecret("second");
    Path mounted = account.mountAt(dir.resolve("serviceaccount"));
    Files.writeString(mounted.resolve("token"), account.tokenBoundTo(first));
    List<String> tokens = new ArrayList<>();

    try (KubernetesClient client = inCluster(account.podEnvironment(mounted), 0, tokens)) {
      assertThat(client.configMaps().list().getItems()).isNotNull();
      // the kubelet's rotation: a new token in the file; then the old one stops working
      Path next = Files.writeString(mounted.resolve("..token.new"), account.tokenBoundTo(second));
      Files.move(next, mounted.resolve("token"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      String firstToken = tokens.get(0);
      server.admin().secrets().inNamespace("rotate").resource(first).delete();
      awaitRejected(firstToken, "rotate");

      assertThat(client.configMaps().list().getItems()).isNotNull();
    }
    assertThat(tokens).hasSize(2);
  }

  /** Until the server refuses {@code token} (it checks the bound object through its caches). */
  private static void awaitRejected(String token, String namespace) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (server.statusFor(token, "/api/v1/namespaces/" + namespace + "/configmaps") == 401) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the server still accepts the token bound to a deleted secret");
  }

  private static Secret bindingSecret(String name) {
    return server
        .admin()
        .secrets()
        .inNamespace("rotate")
        .resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  @Test
  void anApiServerDownForAWhileIsRetriedUntilItIsBack() throws Exception {
    ServiceAccountLogin account =
        server.serviceAccount("restart", "restart", allow("", "configmaps", "list"));
    Path mounted = account.mountAt(dir.resolve("serviceaccount"));
    try (KubernetesClient client =
        inCluster(account.podEnvironment(mounted), 10, new ArrayList<>())) {
      server.stopApiServer();
      CompletableFuture<Void> restart =
          CompletableFuture.runAsync(
              () -> {
                try {
                  Thread.sleep(1000);
                  server.startApiServer();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      // answered by the restarted server: the list, or a 403 if the retry came in the second after
      // it opened its
      // port and before its RBAC caches were filled (in a cluster, clients reach only ready API
      // servers)
      try {
        assertThat(client.configMaps().list().getItems()).isNotNull();
      } catch (KubernetesClientException e) {
        assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403);
      }
      restart.join();
    }
  }

  @Test
  void anApiServerThatStaysDownFailsOnceTheRetriesAreSpent() throws Exception {
    ServiceAccountLogin account =
        server.serviceAccount("down", "down", allow("", "configmaps", "list"));
    Path mounted = account.mountAt(dir.resolve("serviceaccount"));
    try (KubernetesClient client =
        inCluster(account.podEnvironment(mounted), 2, new ArrayList<>())) {
      server.stopApiServer();
      try {
        assertThatThrownBy(() -> client.configMaps().list())
            .isInstanceOf(KubernetesClientException.class);
      } finally {
        server.startApiServer();
      }
    }
  }
}
