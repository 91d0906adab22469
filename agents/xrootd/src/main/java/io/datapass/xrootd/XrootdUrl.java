package io.datapass.xrootd;

import java.net.URI;

/**
 * A {@code root://host[:port]//path[?cgi]} location.
 *
 * @param path the absolute path on the server (one leading slash)
 * @param cgi opaque {@code key=value&...} passed with the path, or ""
 */
public record XrootdUrl(String host, int port, String path, String cgi) {

  public static XrootdUrl of(URI uri) {
    if (!"root".equalsIgnoreCase(uri.getScheme()) && !"xroot".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not a root:// URL: " + uri);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in " + uri);
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    while (path.startsWith("//")) {
      path = path.substring(1);
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("no path in " + uri + " (expected root://host//path)");
    }
    return new XrootdUrl(
        uri.getHost(),
        uri.getPort() > 0 ? uri.getPort() : Protocol.DEFAULT_PORT,
        path,
        uri.getRawQuery() == null ? "" : uri.getRawQuery());
  }

  /** The path with its CGI, as sent in requests. */
  public String pathWithCgi() {
    return cgi.isEmpty() ? path : path + "?" + cgi;
  }

  /**
   * The path with its CGI as sent to {@code server}: the URL's {@code authz} token goes only to the
   * URL's own host, not to another one a redirect names (which gets its own token in the redirect).
   */
  public String pathWithCgiFor(String server) {
    if (server.equalsIgnoreCase(host)) {
      return pathWithCgi();
    }
    String kept =
        java.util.Arrays.stream(cgi.split("&"))
            .filter(pair -> !pair.isEmpty() && !pair.equals("authz") && !pair.startsWith("authz="))
            .collect(java.util.stream.Collectors.joining("&"));
    return kept.isEmpty() ? path : path + "?" + kept;
  }

  /**
   * Another path on the same server, with the same CGI (authorization tokens and the like apply to
   * it too).
   */
  public XrootdUrl withPath(String newPath) {
    return new XrootdUrl(host, port, newPath, cgi);
  }

  /** This location with one more CGI parameter ({@code value} URL-encoded). */
  public XrootdUrl withParameter(String key, String value) {
    String pair =
        key + "=" + java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    return new XrootdUrl(host, port, path, cgi.isEmpty() ? pair : cgi + "&" + pair);
  }

  public String hostPort() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return "root://" + hostPort() + "/" + pathWithCgi();
  }
}
