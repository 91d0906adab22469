package io.datapass.transfer.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP/1.1 server on loopback that writes whatever bytes a test scripts, one request per
 * connection, then closes it: for the broken framings the JDK's server cannot produce (a chunked
 * body cut inside a chunk, a missing final chunk). Binds port 0 itself.
 */
public final class RawHttpServer implements AutoCloseable {

  /** A request head as received; header names are case-insensitive. */
  public record Request(String method, String path, Map<String, String> headers) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  /** Writes the raw response to one request; the connection is closed afterwards. */
  @FunctionalInterface
  public interface Responder {
    void respond(Request request, OutputStream out) throws IOException;
  }

  private final ServerSocket socket;
  private final Responder responder;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private RawHttpServer(Responder responder) throws IOException {
    this.socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    this.responder = responder;
    this.acceptor = new Thread(this::acceptAll, "raw-http-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static RawHttpServer start(Responder responder) throws IOException {
    return new RawHttpServer(responder);
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void acceptAll() {
    while (!socket.isClosed()) {
      try (Socket connection = socket.accept()) {
        connection.setSoTimeout(10_000);
        Request request = readHead(connection.getInputStream());
        requests.add(request);
        OutputStream out = connection.getOutputStream();
        responder.respond(request, out);
        out.flush();
      } catch (IOException e) {
        // closed by close(), or a client that went away: next connection
      }
    }
  }

  private static Request readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request head cut");
      }
      head.write(b);
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
      }
    }
    return new Request(requestLine[0].toUpperCase(Locale.ROOT), requestLine[1], headers);
  }

  /** The ASCII bytes of a response head: status line, headers, blank line. */
  public static byte[] head(String statusLine, String... headers) {
    StringBuilder text = new StringBuilder("HTTP/1.1 ").append(statusLine).append("\r\n");
    for (String header : headers) {
      text.append(header).append("\r\n");
    }
    text.append("Connection: close\r\n\r\n");
    return text.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
