package io.datapass.sidecar;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.datapass.common.ConfigException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's HTTP endpoints on one port (the JDK's HTTP server, one thread): {@code /startup}
 * for its startup probe, 200 once the inputs are ready (so Kubernetes starts the payload only
 * then); {@code /healthz}, 503 while the payload is overdue refreshing {@code healthy} (probe it
 * from the payload's container: a failure there restarts the payload, not the sidecar); {@code
 * /metrics} in the Prometheus text format.
 */
final class ProbeServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProbeServer.class);

  private final HttpServer server;
  private final ExecutorService executor;

  private ProbeServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  static ProbeServer start(
      int port, BooleanSupplier ready, Supplier<String> overdue, SidecarMetrics metrics)
      throws IOException, ConfigException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (BindException e) {
      // another container of the pod (or a second sidecar) has it: a restart would meet it again
      throw new ConfigException("port " + port + " (--port) is already in use", e);
    }
    server.createContext(
        "/startup",
        exchange ->
            respond(
                exchange,
                ready.getAsBoolean() ? 200 : 503,
                ready.getAsBoolean() ? "ready\n" : "inputs not ready\n",
                "text/plain"));
    server.createContext(
        "/healthz",
        exchange -> {
          String problem = overdue.get();
          respond(
              exchange,
              problem == null ? 200 : 503,
              problem == null ? "ok\n" : problem + "\n",
              "text/plain");
        });
    server.createContext(
        "/metrics",
        exchange ->
            respond(exchange, 200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8"));
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "probes");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.start();
    log.info(
        "probes and metrics on port {}: /startup, /healthz, /metrics",
        server.getAddress().getPort());
    return new ProbeServer(server, executor);
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String body, String type)
      throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
