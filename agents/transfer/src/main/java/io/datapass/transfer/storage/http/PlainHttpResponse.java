package io.datapass.transfer.storage.http;

import io.datapass.transfer.storage.DaemonThreads;
import io.datapass.transfer.storage.TransferException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A plain-text {@code http://} exchange over a {@link SocketChannel}, one connection per request:
 * the body is read from the socket straight into the caller's (direct) buffer in reads as large as
 * that buffer, which halves the system time per GiB against the JDK's 128 KiB socket reads into the
 * heap (bench/download). Bodies framed by Content-Length, chunked transfer coding or the end of the
 * connection.
 *
 * <p>The read timeout bounds the wait for the response head; a body that stalls is the transfer
 * engine's to abort (closing the channel wakes the blocked read).
 */
final class PlainHttpResponse extends HttpTransport.Response {
  private static final int MAX_HEAD_BYTES = 64 << 10;

  /** Read-ahead for the chunk framing; chunk data past it goes straight to the caller's buffer. */
  private static final int PENDING_BYTES = 16 << 10;

  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("http-deadlines"));

  private final SocketChannel socket;
  private final int status;
  private final Map<String, String> headers;
  private final ByteBuffer pending;
  private final BodyChannel body;

  private PlainHttpResponse(
      SocketChannel socket,
      int status,
      Map<String, String> headers,
      ByteBuffer pending,
      boolean hasBody) {
    this.socket = socket;
    this.status = status;
    this.headers = headers;
    this.pending = pending;
    this.body = new BodyChannel(hasBody);
  }

  static PlainHttpResponse send(
      URI uri,
      String method,
      Map<String, String> requestHeaders,
      int connectTimeoutMillis,
      int readTimeoutMillis)
      throws IOException {
    String host = uri.getHost();
    if (host == null) {
      throw TransferException.permanent("not a valid HTTP URL: " + uri);
    }
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new UnknownHostException(host);
    }
    SocketChannel socket = SocketChannel.open();
    try {
      connect(socket, address, connectTimeoutMillis);
      writeRequest(socket, uri, method, requestHeaders);
      return readHead(socket, method, readTimeoutMillis);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Connects, closing the socket if that takes too long (a timed connect would leave it
   * non-blocking for good).
   */
  private static void connect(SocketChannel socket, InetSocketAddress address, int timeoutMillis)
      throws IOException {
    ScheduledFuture<?> deadline =
        DEADLINES.schedule(() -> closeQuietly(socket), timeoutMillis, TimeUnit.MILLISECONDS);
    try {
      socket.connect(address);
    } catch (AsynchronousCloseException e) {
      throw new SocketTimeoutException(
          "no connection to " + address + " within " + timeoutMillis + " ms");
    } finally {
      deadline.cancel(false);
    }
  }

  private static void writeRequest(
      SocketChannel socket, URI uri, String method, Map<String, String> headers)
      throws IOException {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    StringBuilder request = new StringBuilder(method).append(' ').append(path);
    if (uri.getRawQuery() != null) {
      request.append('?').append(uri.getRawQuery());
    }
    request.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
    if (uri.getPort() >= 0) {
      request.append(':').append(uri.getPort());
    }
    request
        .append("\r\nUser-Agent: ")
        .append(HttpTransport.USER_AGENT)
        .append("\r\nAccept: */*\r\nConnection: close\r\n");
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    ByteBuffer bytes =
        ByteBuffer.wrap(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    while (bytes.hasRemaining()) {
      socket.write(bytes);
    }
  }

  /**
   * Reads the status line and headers (skipping 1xx answers). A timer closes the socket if they
   * take longer than the timeout: a read timeout on the socket itself would switch it to
   * non-blocking mode for good, and every body read would then cost a poll as well.
   */
  private static PlainHttpResponse readHead(SocketChannel socket, String method, int timeoutMillis)
      throws IOException {
    ScheduledFuture<?> deadline =
        DEADLINES.schedule(() -> closeQuietly(socket), timeoutMillis, TimeUnit.MILLISECONDS);
    try {
      return readHead(socket, method);
    } catch (AsynchronousCloseException e) {
      throw new SocketTimeoutException("no HTTP response head within " + timeoutMillis + " ms");
    } finally {
      deadline.cancel(false);
    }
  }

  private static void closeQuietly(SocketChannel socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // the reader sees the close
    }
  }

  private static PlainHttpResponse readHead(SocketChannel socket, String method)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(MAX_HEAD_BYTES);
    while (true) {
      int end = headEnd(buffer);
      while (end < 0) {
        if (!buffer.hasRemaining()) {
          throw TransferException.permanent(
              "HTTP response head larger than " + MAX_HEAD_BYTES + " bytes");
        }
        if (socket.read(buffer) < 0) {
          throw new IOException("connection closed before the HTTP response head was complete");
        }
        end = headEnd(buffer);
      }
      String head = new String(buffer.array(), 0, end, StandardCharsets.ISO_8859_1);
      ByteBuffer rest = ByteBuffer.wrap(buffer.array(), end, buffer.position() - end).slice();
      String[] lines = head.split("\r\n");
      int status = parseStatus(lines[0]);
      if (status >= 100 && status < 200) {
        buffer = ByteBuffer.allocate(MAX_HEAD_BYTES).put(rest);
        continue;
      }
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.putIfAbsent(
              lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        }
      }
      boolean hasBody = !method.equals("HEAD") && status != 204 && status != 304;
      ByteBuffer pending =
          ByteBuffer.allocate(Math.max(PENDING_BYTES, rest.remaining())).put(rest).flip();
      return new PlainHttpResponse(socket, status, headers, pending, hasBody);
    }
  }

  /** The index just past the blank line ending the head in buffer[0, position), or -1. */
  private static int headEnd(ByteBuffer buffer) {
    byte[] a = buffer.array();
    for (int i = 3; i < buffer.position(); i++) {
      if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  private static int parseStatus(String statusLine) throws TransferException {
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw TransferException.retryable("not an HTTP/1.x status line: '" + statusLine + "'", null);
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw TransferException.retryable("not an HTTP/1.x status line: '" + statusLine + "'", e);
    }
  }

  @Override
  int status() {
    return status;
  }

  @Override
  Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  @Override
  long contentLength() {
    try {
      return Long.parseLong(headers.getOrDefault("Content-Length", "-1").trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  ReadableByteChannel body() {
    return body;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** The body, framed by chunked coding, Content-Length, or the end of the connection. */
  private final class BodyChannel implements ReadableByteChannel {
    private final boolean chunked;
    private long left;
    private boolean ended;

    BodyChannel(boolean hasBody) {
      chunked =
          hasBody
              && headers
                  .getOrDefault("Transfer-Encoding", "")
                  .toLowerCase(Locale.ROOT)
                  .contains("chunked");
      left = !hasBody ? 0 : chunked ? 0 : contentLength() >= 0 ? contentLength() : Long.MAX_VALUE;
      ended = !hasBody;
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
      if (!socket.isOpen()) {
        throw new ClosedChannelException();
      }
      if (chunked && left == 0 && !ended) {
        left = nextChunkSize();
        ended = left == 0;
      }
      if (ended || left == 0) {
        return -1;
      }
      int limit = target.limit();
      target.limit(target.position() + (int) Math.min(target.remaining(), left));
      try {
        int n = pending.hasRemaining() ? drainPending(target) : socket.read(target);
        if (n < 0 && chunked) {
          throw TransferException.retryable(
              "connection ended inside a chunk of an HTTP body", null);
        }
        if (n < 0) {
          return -1; // the end of the connection: CompleteBody says whether the body was complete
        }
        left -= n;
        if (chunked && left == 0) {
          expectLine("");
        }
        return n;
      } finally {
        target.limit(limit);
      }
    }

    private int drainPending(ByteBuffer target) {
      int n = Math.min(pending.remaining(), target.remaining());
      ByteBuffer slice = pending.slice();
      slice.limit(n);
      target.put(slice);
      pending.position(pending.position() + n);
      return n;
    }

    private long nextChunkSize() throws IOException {
      String line = readLine();
      int extension = line.indexOf(';');
      String hex = (extension >= 0 ? line.substring(0, extension) : line).trim();
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw TransferException.retryable("bad chunk size '" + line + "' in HTTP body", e);
      }
      if (size == 0) {
        while (!readLine().isEmpty()) {
          // trailer fields: ignored
        }
      }
      return size;
    }

    private void expectLine(String expected) throws IOException {
      String line = readLine();
      if (!line.equals(expected)) {
        throw TransferException.retryable("malformed chunked HTTP body near '" + line + "'", null);
      }
    }

    /** One CRLF-terminated line of the chunk framing, without the CRLF. */
    private String readLine() throws IOException {
      StringBuilder line = new StringBuilder();
      while (true) {
        if (!pending.hasRemaining()) {
          pending.clear();
          int n = socket.read(pending);
          pending.flip();
          if (n < 0) {
            throw new IOException("connection ended inside the chunk framing of an HTTP body");
          }
        }
        int b = pending.get() & 0xff;
        if (b == '\n') {
          int length = line.length();
          return length > 0 && line.charAt(length - 1) == '\r'
              ? line.substring(0, length - 1)
              : line.toString();
        }
        if (line.length() > 4096) {
          throw TransferException.retryable("chunk framing line too long in HTTP body", null);
        }
        line.append((char) b);
      }
    }

    @Override
    public boolean isOpen() {
      return socket.isOpen();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
