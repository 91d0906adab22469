package io.datapass.transfer.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP/1.1 server on loopback (the JDK's), serving in-memory objects with HEAD, Range and
 * If-Range, and able to misbehave on purpose: cut a body mid-way, answer with an error status,
 * demand a token.
 */
public final class HttpTestServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  /** One request as the server saw it; absent headers are null. */
  public record Request(
      String method, String path, String range, String ifRange, String authorization) {}

  private final HttpServer server;
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> cutAfter = new ConcurrentHashMap<>();
  private final Map<String, Long> cutEvery = new ConcurrentHashMap<>();
  private final Map<String, Long> stalls = new ConcurrentHashMap<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  private final Map<String, Integer> failureStatus = new ConcurrentHashMap<>();
  private final Map<String, URI> redirects = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile String requiredAuthorization;
  private volatile boolean chunked;
  private volatile boolean refuseHead;

  private final String scheme;

  private HttpTestServer() throws IOException {
    this(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64), "http");
  }

  private HttpTestServer(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "http-test-server");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/", this::handle);
    server.start();
  }

  public static HttpTestServer start() throws IOException {
    return new HttpTestServer();
  }

  public HttpTestServer serve(String path, byte[] content) {
    objects.put(path, content);
    return this;
  }

  /**
   * The next GET of {@code path} sends the full length header but only {@code bytes} bytes, then
   * drops.
   */
  public HttpTestServer cutNextBodyAfter(String path, long bytes) {
    cutAfter.put(path, new AtomicLong(bytes));
    return this;
  }

  /**
   * Every GET of {@code path} sends the full length header but at most {@code bytes} bytes, then
   * drops.
   */
  public HttpTestServer cutEveryBodyAfter(String path, long bytes) {
    cutEvery.put(path, bytes);
    return this;
  }

  /**
   * HEAD requests are answered {@code 405 Method Not Allowed}, as some servers and pre-signed URLs
   * do.
   */
  public HttpTestServer refuseHead() {
    refuseHead = true;
    return this;
  }

  /**
   * The next GET of {@code path} sends {@code bytes} bytes, then nothing until the client or the
   * server closes.
   */
  public HttpTestServer stallNextBodyAfter(String path, long bytes) {
    stalls.put(path, bytes);
    return this;
  }

  /** The next {@code count} requests for {@code path} are answered with {@code status}. */
  public HttpTestServer failNext(String path, int status, int count) {
    failureStatus.put(path, status);
    failures.put(path, new AtomicInteger(count));
    return this;
  }

  /** Requests for {@code path} are answered {@code 302 Found} with {@code Location: location}. */
  public HttpTestServer redirect(String path, URI location) {
    redirects.put(path, location);
    return this;
  }

  /** GET bodies are sent with chunked transfer coding instead of a Content-Length. */
  public HttpTestServer sendChunkedBodies() {
    chunked = true;
    return this;
  }

  public HttpTestServer requireAuthorization(String headerValue) {
    requiredAuthorization = headerValue;
    return this;
  }

  /**
   * The same server over TLS, with the certificate of {@code tls} (whose client context trusts it).
   */
  public static HttpTestServer startHttps(TestTls tls) throws IOException {
    HttpsServer https =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    return new HttpTestServer(https, "https");
  }

  public URI uri(String path) {
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> requests(String method, String path) {
    return requests.stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .toList();
  }

  /** The strong ETag the server sends for {@code path}'s current content. */
  public String etag(String path) {
    return etagOf(objects.get(path));
  }

  private static String etagOf(byte[] content) {
    return "\""
        + Integer.toHexString(java.util.Arrays.hashCode(content))
        + "-"
        + content.length
        + "\"";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      String range = exchange.getRequestHeaders().getFirst("Range");
      String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(new Request(method, path, range, ifRange, authorization));
      if (refuseHead && method.equals("HEAD")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      AtomicInteger failing = failures.get(path);
      if (failing != null && failing.getAndDecrement() > 0) {
        exchange.sendResponseHeaders(failureStatus.get(path), -1);
        return;
      }
      URI redirect = redirects.get(path);
      if (redirect != null) {
        exchange.getResponseHeaders().set("Location", redirect.toString());
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      byte[] content = objects.get(path);
      if (content == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String etag = etagOf(content);
      exchange.getResponseHeaders().set("ETag", etag);
      exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
      long start = 0;
      Matcher m = range == null ? null : RANGE.matcher(range);
      if (m != null && m.matches() && (ifRange == null || ifRange.equals(etag))) {
        start = Long.parseLong(m.group(1));
        if (start >= content.length) {
          exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
          exchange.sendResponseHeaders(416, -1);
          return;
        }
        exchange
            .getResponseHeaders()
            .set(
                "Content-Range",
                "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
      }
      int status = start > 0 ? 206 : 200;
      long length = content.length - start;
      if (method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, length == 0 ? -1 : chunked ? 0 : length);
      AtomicLong cutOnce = cutAfter.remove(path);
      Long cut = cutOnce != null ? Long.valueOf(cutOnce.get()) : cutEvery.get(path);
      OutputStream body = exchange.getResponseBody();
      if (cut != null) {
        body.write(content, (int) start, (int) Math.min(cut, length));
        body.flush();
        throw new IOException("connection cut on purpose after " + cut + " bytes");
      }
      Long stall = stalls.remove(path);
      if (stall != null) {
        body.write(content, (int) start, (int) Math.min(stall, length));
        body.flush();
        awaitClose();
        throw new IOException("stalled on purpose after " + stall + " bytes");
      }
      body.write(content, (int) start, (int) length);
    }
  }

  private void awaitClose() throws IOException {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("stall interrupted");
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
  }
}
