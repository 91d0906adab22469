package io.datapass.transfer.source;

import io.datapass.transfer.TransferException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code http://} and {@code https://} through the JDK HttpClient. Resumes with {@code Range} guarded by
 * {@code If-Range}, follows redirects itself so credentials never travel to another origin.
 */
public final class HttpSource implements ObjectSource {
  private static final int MAX_REDIRECTS = 10;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private final HttpClient client;
  private final HttpCredentials credentials;
  private final Duration headersTimeout;

  /** The JDK client reads the socket in 16 KiB pieces unless told otherwise: 256 KiB halves the CPU per GiB. */
  private static final String BUFFER_PROPERTY = "jdk.httpclient.bufsize";

  public HttpSource(HttpCredentials credentials, Duration connectTimeout, Duration headersTimeout) {
    if (System.getProperty(BUFFER_PROPERTY) == null) {
      System.setProperty(BUFFER_PROPERTY, Integer.toString(256 << 10));
    }
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.credentials = credentials;
    this.headersTimeout = headersTimeout;
  }

  @Override
  public RemoteObject stat(URI uri) throws IOException {
    HttpResponse<InputStream> response = send(uri, "HEAD", 0, "");
    response.body().close();
    int status = response.statusCode();
    if (status == 405 || status == 501 || status == 403 && credentials == null) {
      // Some servers (and presigned URLs) refuse HEAD but serve GET: let the GET decide.
      return new RemoteObject(uri, RemoteObject.UNKNOWN_SIZE, "", List.of());
    }
    failUnlessSuccess(uri, status);
    long size = response.headers().firstValueAsLong("Content-Length").orElse(RemoteObject.UNKNOWN_SIZE);
    return new RemoteObject(uri, size, validator(response).orElse(""), List.of());
  }

  @Override
  public OpenedStream open(RemoteObject object, long offset) throws IOException {
    HttpResponse<InputStream> response = send(object.uri(), "GET", offset, object.version());
    int status = response.statusCode();
    if (status == 200) {
      return new OpenedStream(response.body(), 0);
    }
    if (status == 206) {
      long start = rangeStart(response);
      if (start != offset) {
        response.body().close();
        throw TransferException.retryable(
            "server answered range from " + start + " instead of " + offset + ": " + object.uri(), null);
      }
      return new OpenedStream(response.body(), offset);
    }
    response.body().close();
    failUnlessSuccess(object.uri(), status);
    throw TransferException.permanent("unexpected HTTP " + status + " for " + object.uri());
  }

  private HttpResponse<InputStream> send(URI uri, String method, long offset, String validator)
      throws IOException {
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(current).timeout(headersTimeout).method(method, HttpRequest.BodyPublishers.noBody());
      if (offset > 0) {
        request.header("Range", "bytes=" + offset + "-");
        if (!validator.isEmpty()) {
          request.header("If-Range", validator);
        }
      }
      if (credentials != null && sameOrigin(uri, current)) {
        request.header("Authorization", credentials.headerValue());
      }
      HttpResponse<InputStream> response = exchange(request.build());
      Optional<String> location = response.headers().firstValue("Location");
      if (!isRedirect(response.statusCode()) || location.isEmpty()) {
        return response;
      }
      response.body().close();
      current = current.resolve(location.get());
    }
    throw TransferException.permanent("more than " + MAX_REDIRECTS + " redirects for " + uri);
  }

  private HttpResponse<InputStream> exchange(HttpRequest request) throws IOException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while requesting " + request.uri());
    } catch (IllegalArgumentException e) {
      throw TransferException.permanent("bad HTTP request for " + request.uri() + ": " + e.getMessage(), e);
    }
  }

  private static void failUnlessSuccess(URI uri, int status) throws TransferException {
    if (status >= 200 && status < 300) {
      return;
    }
    String what = "HTTP " + status + " for " + uri;
    if (status == 404 || status == 410) {
      throw TransferException.permanent("not found (" + what + ")");
    }
    if (status == 401 || status == 403) {
      throw TransferException.permanent("access denied (" + what + "); check the credentials file");
    }
    if (status == 408 || status == 429 || status >= 500) {
      throw TransferException.retryable(what, null);
    }
    throw TransferException.permanent(what);
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme())
        && Objects.equals(a.getHost(), b.getHost())
        && a.getPort() == b.getPort();
  }

  /** A strong ETag, else Last-Modified: what If-Range accepts. Weak ETags cannot guard a range. */
  private static Optional<String> validator(HttpResponse<?> response) {
    Optional<String> etag = response.headers().firstValue("ETag").filter(e -> !e.startsWith("W/"));
    return etag.isPresent() ? etag : response.headers().firstValue("Last-Modified");
  }

  private static long rangeStart(HttpResponse<?> response) throws TransferException {
    String header = response.headers().firstValue("Content-Range").orElse("");
    Matcher m = CONTENT_RANGE.matcher(header);
    if (!m.matches()) {
      throw TransferException.retryable("unreadable Content-Range '" + header + "'", null);
    }
    return Long.parseLong(m.group(1));
  }
}
