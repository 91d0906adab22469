package io.datapass.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A state backend on loopback (the JDK's HTTP server) that records what the sidecar POSTs. */
final class BackendReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int port;
  private final List<JsonNode> posts = new ArrayList<>();
  private final List<String> authorizations = new ArrayList<>();
  private final AtomicInteger refuseNext = new AtomicInteger();
  private HttpServer server;

  private BackendReceiver(int port) {
    this.port = port;
  }

  /** A receiver listening now. */
  static BackendReceiver start() throws IOException {
    BackendReceiver receiver = new BackendReceiver(freePort());
    receiver.listen();
    return receiver;
  }

  /**
   * A receiver whose port is chosen but not listened on yet: the backend is down until {@link
   * #listen}.
   */
  static BackendReceiver down() throws IOException {
    return new BackendReceiver(freePort());
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  synchronized void listen() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    server.createContext(
        "/states",
        exchange -> {
          try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = 200;
            synchronized (this) {
              if (refuseNext.get() > 0) {
                refuseNext.decrementAndGet();
                status = 503;
              } else {
                posts.add(JSON.readTree(body));
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                notifyAll();
              }
            }
            exchange.sendResponseHeaders(status, -1);
          }
        });
    server.start();
  }

  /** The next {@code count} POSTs get HTTP 503. */
  void refuse(int count) {
    refuseNext.set(count);
  }

  String url() {
    return "http://127.0.0.1:" + port + "/states";
  }

  synchronized List<JsonNode> posts() {
    return List.copyOf(posts);
  }

  synchronized List<String> states() {
    return posts.stream().map(p -> p.get("state").asText()).toList();
  }

  synchronized List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** Waits until {@code state} arrived; returns the states so far either way. */
  synchronized List<String> awaitState(String state, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!states().contains(state) && System.nanoTime() < deadline) {
      wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    return states();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }
}
