package io.datapass.transfer.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A reverse proxy on loopback (the JDK's HTTP server, port 0) in front of a real server such as
 * fake-gcs-server, which forwards every request unchanged except those a test picked: answered with
 * an error status instead, or with their body cut short. For the faults the real server cannot be
 * asked to make (a 503 on a listing).
 */
public final class FaultInjectingProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP =
      Set.of("host", "connection", "content-length", "transfer-encoding", "keep-alive", "upgrade");

  /** One request as the proxy received it: method, path and raw query (null if none). */
  public record Request(String method, String path, String query) {}

  private record Fault(Predicate<Request> matches, int status, long cutAfter, AtomicInteger left) {}

  private final HttpServer server;
  private final String upstream;
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private FaultInjectingProxy(String upstream) throws IOException {
    this.upstream = upstream.replaceAll("/+$", "");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fault-injecting-proxy");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/", this::handle);
    server.start();
  }

  /** A proxy forwarding to {@code upstream}, e.g. {@code http://127.0.0.1:4443}. */
  public static FaultInjectingProxy to(String upstream) throws IOException {
    return new FaultInjectingProxy(upstream);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * The next {@code times} requests that {@code which} matches are answered {@code status}, not
   * forwarded.
   */
  public FaultInjectingProxy failNext(Predicate<Request> which, int status, int times) {
    faults.add(new Fault(which, status, -1, new AtomicInteger(times)));
    return this;
  }

  /**
   * The next response to a request {@code which} matches keeps its headers but loses its body after
   * some bytes.
   */
  public FaultInjectingProxy cutNextBody(Predicate<Request> which, long afterBytes) {
    faults.add(new Fault(which, 0, afterBytes, new AtomicInteger(1)));
    return this;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> requests(Predicate<Request> which) {
    return requests.stream().filter(which).toList();
  }

  private Fault faultFor(Request request) {
    for (Fault fault : faults) {
      if (fault.matches().test(request) && fault.left().getAndDecrement() > 0) {
        return fault;
      }
    }
    return null;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      Request request = new Request(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery());
      requests.add(request);
      Fault fault = faultFor(request);
      if (fault != null && fault.status() > 0) {
        exchange.sendResponseHeaders(fault.status(), -1);
        return;
      }
      HttpURLConnection forward = forward(exchange, uri);
      int status = forward.getResponseCode();
      forward
          .getHeaderFields()
          .forEach(
              (name, values) -> {
                if (name != null && !HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                  exchange.getResponseHeaders().put(name, throughProxy(name, values));
                }
              });
      byte[] body;
      try (InputStream in = status >= 400 ? forward.getErrorStream() : forward.getInputStream()) {
        body = in == null ? new byte[0] : in.readAllBytes();
      }
      if (request.method().equals("HEAD") || body.length == 0) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, body.length);
      OutputStream out = exchange.getResponseBody();
      if (fault != null) {
        out.write(body, 0, (int) Math.min(fault.cutAfter(), body.length));
        out.flush();
        throw new IOException("body cut on purpose after " + fault.cutAfter() + " bytes");
      }
      out.write(body);
    }
  }

  /**
   * A Location naming the upstream names the proxy instead (a resumable upload's session): the
   * requests that follow go through the proxy too.
   */
  private List<String> throughProxy(String header, List<String> values) {
    if (!header.equalsIgnoreCase("location")) {
      return values;
    }
    return values.stream()
        .map(v -> v.startsWith(upstream + "/") ? endpoint() + v.substring(upstream.length()) : v)
        .toList();
  }

  private HttpURLConnection forward(HttpExchange exchange, URI uri) throws IOException {
    String target =
        upstream + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    HttpURLConnection connection = (HttpURLConnection) URI.create(target).toURL().openConnection();
    connection.setInstanceFollowRedirects(false);
    connection.setRequestMethod(exchange.getRequestMethod());
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        connection.setRequestProperty(header.getKey(), String.join(",", header.getValue()));
      }
    }
    byte[] requestBody = exchange.getRequestBody().readAllBytes();
    if (requestBody.length > 0) {
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(requestBody.length);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(requestBody);
      }
    }
    return connection;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
