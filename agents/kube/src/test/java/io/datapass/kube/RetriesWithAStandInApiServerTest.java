package io.datapass.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real kube-apiserver cannot be made to answer 429 or 503 on demand, so these tests use a
 * stand-in: the JDK's HTTP server answering with the statuses a busy or restarting API server
 * gives, then the object.
 */
@Timeout(30)
class RetriesWithAStandInApiServerTest {
  private static final String CONFIG_MAP =
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\",\"namespace\":\"jobs\"}}";

  private HttpServer server;
  private final Deque<Integer> statuses = new ConcurrentLinkedDeque<>();
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          Integer status = statuses.poll();
          int code = status == null ? 200 : status;
          byte[] body =
              (code == 200
                      ? CONFIG_MAP
                      : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                          + "\"message\":\"busy\",\"code\":"
                          + code
                          + "}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(code, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private KubernetesClient client(int retries) {
    return KubernetesAccess.client(
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
            .withNamespace("jobs")
            .build(),
        new KubernetesAccess.Retries(retries, Duration.ofMillis(10)));
  }

  @Test
  void tooManyRequestsAndServerErrorsAreRetried() {
    statuses.addAll(java.util.List.of(429, 503, 500));
    try (KubernetesClient client = client(3)) {
      assertThat(client.configMaps().withName("settings").get().getMetadata().getName())
          .isEqualTo("settings");
    }
    assertThat(requests).hasValue(4);
  }

  @Test
  void retriesAreBounded() {
    statuses.addAll(java.util.List.of(503, 503, 503, 503, 503));
    try (KubernetesClient client = client(2)) {
      assertThatThrownBy(() -> client.configMaps().withName("settings").get())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(503));
    }
    assertThat(requests).hasValue(3);
  }

  @Test
  void otherClientErrorsAreNotRetried() {
    statuses.add(403);
    try (KubernetesClient client = client(3)) {
      assertThatThrownBy(() -> client.configMaps().withName("settings").get())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
    assertThat(requests).hasValue(1);
  }
}
