package io.datapass.transfer.storage.http;

import io.datapass.transfer.storage.InputStreamChannel;
import io.datapass.transfer.storage.OpenedStream;
import io.datapass.transfer.storage.TransferException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URLConnection;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 request at a time: plain {@code http://} over a socket channel read straight into
 * the engine's buffer, {@code https://} over {@link HttpURLConnection} (keep-alive connections from
 * the JDK's pool). The JDK HttpClient these replaced spent twice the CPU per GiB in its own buffer
 * machinery (bench/download).
 *
 * <p>Redirects are returned, not followed: the caller decides where credentials may go. The read
 * timeout bounds the wait for the response headers and for every read of the body, so a stalled
 * server ends in a retryable {@link java.net.SocketTimeoutException}.
 */
public final class HttpTransport {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  static final String USER_AGENT = "datapass";

  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final boolean socketChannelForHttp;

  /**
   * 30 s to connect, 60 s for headers and for each read: below the engine's default stall timeout.
   */
  public static HttpTransport withDefaultTimeouts() {
    return new HttpTransport(Duration.ofSeconds(30), Duration.ofSeconds(60));
  }

  HttpTransport(Duration connectTimeout, Duration readTimeout) {
    this(connectTimeout, readTimeout, true);
  }

  /**
   * @param socketChannelForHttp false sends plain {@code http://} through HttpURLConnection as
   *     well, as a configured proxy does: the https path's body handling, testable against a
   *     plain-text server on loopback
   */
  HttpTransport(Duration connectTimeout, Duration readTimeout, boolean socketChannelForHttp) {
    this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
    this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
    this.socketChannelForHttp = socketChannelForHttp;
  }

  /**
   * Sends the request and waits for the status line and headers. Plain {@code http://} goes over a
   * socket channel of its own ({@link PlainHttpResponse}) unless a proxy is configured; the rest
   * through HttpURLConnection.
   */
  public Response send(URI uri, String method, Map<String, String> headers) throws IOException {
    if (socketChannelForHttp
        && "http".equalsIgnoreCase(uri.getScheme())
        && System.getProperty("http.proxyHost") == null) {
      return PlainHttpResponse.send(uri, method, headers, connectTimeoutMillis, readTimeoutMillis);
    }
    HttpURLConnection connection = open(uri);
    connection.setRequestMethod(method);
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    connection.setConnectTimeout(connectTimeoutMillis);
    connection.setReadTimeout(readTimeoutMillis);
    connection.setRequestProperty("User-Agent", USER_AGENT);
    connection.setRequestProperty("Accept", "*/*");
    headers.forEach(connection::setRequestProperty);
    try {
      return new UrlConnectionResponse(connection, connection.getResponseCode());
    } catch (IOException | RuntimeException e) {
      connection.disconnect();
      throw e;
    }
  }

  /**
   * Turns a non-2xx status into the engine's failure: not found and access denied are permanent
   * (with {@code accessHint} saying which credentials to check), 408, 429 and 5xx are worth a
   * retry.
   */
  static void failUnlessSuccess(URI uri, int status, String accessHint) throws TransferException {
    if (status >= 200 && status < 300) {
      return;
    }
    String what = "HTTP " + status + " for " + uri;
    if (status == 404 || status == 410) {
      throw TransferException.permanent("not found (" + what + ")");
    }
    if (status == 401 || status == 403) {
      throw TransferException.permanent("access denied (" + what + "); " + accessHint);
    }
    if (status == 408 || status == 429 || status >= 500) {
      throw TransferException.retryable(what, null);
    }
    throw TransferException.permanent(what);
  }

  private static HttpURLConnection open(URI uri) throws IOException {
    URLConnection connection;
    try {
      connection = uri.toURL().openConnection();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw TransferException.permanent(
          "not a valid HTTP URL: " + uri + " (" + e.getMessage() + ")", e);
    }
    if (!(connection instanceof HttpURLConnection http)) {
      throw TransferException.permanent("not an HTTP URL: " + uri);
    }
    return http;
  }

  /** A response whose body the caller reads once, or discards by closing. */
  public abstract static class Response implements Closeable {
    abstract int status();

    abstract Optional<String> header(String name);

    /** Content-Length, or -1 when the server sent none. */
    abstract long contentLength();

    /** The body of a successful response. */
    abstract ReadableByteChannel body() throws IOException;

    /**
     * The body as read from {@code offset}: a 206 must start there (Content-Range), a 200 starts at
     * 0 (the server ignored the range; the caller starts over). Either ends only where the response
     * said it would ({@link CompleteBody}). Any other status fails, classified by {@link
     * #failUnlessSuccess}.
     */
    public OpenedStream bodyFrom(long offset, URI uri, String accessHint) throws IOException {
      if (status() == 200) {
        long length = chunked() ? -1 : contentLength();
        return new OpenedStream(new CompleteBody(body(), length, length, -1, uri), 0, length);
      }
      if (status() == 206) {
        Matcher range;
        try {
          range = contentRange();
        } catch (TransferException e) {
          close();
          throw e;
        }
        long start = Long.parseLong(range.group(1));
        if (start != offset) {
          close();
          throw TransferException.retryable(
              "server answered range from " + start + " instead of " + offset + ": " + uri, null);
        }
        long end = Long.parseLong(range.group(2)) + 1;
        long objectSize = range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3));
        return new OpenedStream(
            new CompleteBody(body(), end - start, end, objectSize, uri), offset, objectSize);
      }
      close();
      failUnlessSuccess(uri, status(), accessHint);
      throw TransferException.permanent("unexpected HTTP " + status() + " for " + uri);
    }

    boolean chunked() {
      return header("Transfer-Encoding")
          .map(e -> e.toLowerCase(Locale.ROOT).contains("chunked"))
          .orElse(false);
    }

    private Matcher contentRange() throws TransferException {
      String header = header("Content-Range").orElse("");
      Matcher m = CONTENT_RANGE.matcher(header);
      if (!m.matches()) {
        throw TransferException.retryable("unreadable Content-Range '" + header + "'", null);
      }
      return m;
    }
  }

  /** A response through {@link HttpURLConnection}. */
  private static final class UrlConnectionResponse extends Response {
    private final HttpURLConnection connection;
    private final int status;
    private InputStream body;

    private UrlConnectionResponse(HttpURLConnection connection, int status) {
      this.connection = connection;
      this.status = status;
    }

    @Override
    int status() {
      return status;
    }

    @Override
    Optional<String> header(String name) {
      return Optional.ofNullable(connection.getHeaderField(name));
    }

    @Override
    long contentLength() {
      return connection.getContentLengthLong();
    }

    @Override
    ReadableByteChannel body() throws IOException {
      return new InputStreamChannel(stream());
    }

    private InputStream stream() throws IOException {
      if (body == null) {
        body = connection.getInputStream();
      }
      return body;
    }

    /** Discards what is left of the body; closing it returns the connection to the pool. */
    @Override
    public void close() throws IOException {
      InputStream stream =
          body != null ? body : status >= 400 ? connection.getErrorStream() : streamOrNull();
      if (stream != null) {
        stream.close();
      }
    }

    private InputStream streamOrNull() {
      try {
        return stream();
      } catch (IOException e) {
        connection.disconnect();
        return null;
      }
    }
  }
}
