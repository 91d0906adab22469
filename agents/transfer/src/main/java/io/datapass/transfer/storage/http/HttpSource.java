package io.datapass.transfer.storage.http;

import io.datapass.common.Secrets;
import io.datapass.transfer.storage.ObjectSource;
import io.datapass.transfer.storage.OpenedStream;
import io.datapass.transfer.storage.RemoteObject;
import io.datapass.transfer.storage.TransferException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code http://} and {@code https://}. Resumes with {@code Range} guarded by {@code If-Range},
 * follows redirects itself so credentials never travel to another origin.
 */
public final class HttpSource implements ObjectSource {
  private static final int MAX_REDIRECTS = 10;
  private static final String ACCESS_HINT = "check the credentials file";

  /** Set to {@code allow} to follow redirects from https to plain http. */
  public static final String ALLOW_DOWNGRADE_ENV = RedirectRules.ALLOW_DOWNGRADE_ENV;

  private final HttpTransport transport;
  private final HttpCredentials credentials;
  private final boolean allowDowngrade;

  /** With the default timeouts, {@link HttpTransport#withDefaultTimeouts()}. */
  public HttpSource(HttpCredentials credentials) {
    this(credentials, HttpTransport.withDefaultTimeouts());
  }

  /**
   * @param readTimeout the longest wait for response headers (and, over https, for each read of the
   *     body); a body that stalls longer than the engine's stall timeout is dropped and the
   *     transfer resumes
   */
  public HttpSource(HttpCredentials credentials, Duration connectTimeout, Duration readTimeout) {
    this(credentials, new HttpTransport(connectTimeout, readTimeout));
  }

  HttpSource(HttpCredentials credentials, HttpTransport transport) {
    this(credentials, transport, false);
  }

  private HttpSource(HttpCredentials credentials, HttpTransport transport, boolean allowDowngrade) {
    this.transport = transport;
    this.credentials = credentials;
    this.allowDowngrade = allowDowngrade;
  }

  /**
   * This source, following redirects from https to plain http too when {@code allow} (the content
   * then travels in clear; credentials never do).
   */
  public HttpSource allowingHttpsToHttpRedirects(boolean allow) {
    return new HttpSource(credentials, transport, allow);
  }

  @Override
  public RemoteObject stat(URI uri) throws IOException {
    try (HttpTransport.Response response = send(uri, "HEAD", 0, "")) {
      int status = response.status();
      if (status == 405 || status == 501 || status == 403 && credentials == null) {
        // Some servers (and presigned URLs) refuse HEAD but serve GET: let the GET decide.
        return new RemoteObject(uri, RemoteObject.UNKNOWN_SIZE, "", List.of());
      }
      HttpTransport.failUnlessSuccess(uri, status, ACCESS_HINT);
      return new RemoteObject(
          uri, response.contentLength(), validator(response).orElse(""), List.of());
    }
  }

  @Override
  public OpenedStream open(RemoteObject object, long offset) throws IOException {
    return send(object.uri(), "GET", offset, object.version())
        .bodyFrom(offset, object.uri(), ACCESS_HINT);
  }

  private HttpTransport.Response send(URI uri, String method, long offset, String validator)
      throws IOException {
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      Map<String, String> headers = new LinkedHashMap<>();
      if (offset > 0) {
        headers.put("Range", "bytes=" + offset + "-");
        if (!validator.isEmpty()) {
          headers.put("If-Range", validator);
        }
      }
      if (credentials != null && sameOrigin(uri, current) && credentials.appliesTo(current)) {
        headers.put("Authorization", credentials.headerValue());
      }
      HttpTransport.Response response = transport.send(current, method, headers);
      Optional<String> location = response.header("Location");
      if (!isRedirect(response.status()) || location.isEmpty()) {
        return response;
      }
      response.close();
      URI next = current.resolve(location.get());
      Secrets.hideIn(next); // a redirect to a pre-signed URL brings its own signature
      RedirectRules.check(current, next, allowDowngrade);
      current = next;
    }
    throw TransferException.permanent("more than " + MAX_REDIRECTS + " redirects for " + uri);
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
  private static Optional<String> validator(HttpTransport.Response response) {
    Optional<String> etag = response.header("ETag").filter(e -> !e.startsWith("W/"));
    return etag.isPresent() ? etag : response.header("Last-Modified");
  }
}
