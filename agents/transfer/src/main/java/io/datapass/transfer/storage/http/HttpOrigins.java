package io.datapass.transfer.storage.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The origins ({@code scheme://host:port}) that credentials are for. Credentials go to https
 * origins only; plain http is accepted for loopback addresses alone, where they never leave the
 * host (test servers, a proxy in the pod).
 */
public final class HttpOrigins {
  private HttpOrigins() {}

  /**
   * Parses a comma-separated list such as {@code https://data.example.org,https://h:8443}.
   *
   * @throws IllegalArgumentException naming the entry that is not an https origin
   */
  public static Set<String> parse(String list) {
    Set<String> origins = new LinkedHashSet<>();
    for (String entry : list.split(",")) {
      String text = entry.strip();
      if (!text.isEmpty()) {
        origins.add(parseOne(text));
      }
    }
    if (origins.isEmpty()) {
      throw new IllegalArgumentException("'" + list + "' names no origin");
    }
    return origins;
  }

  private static String parseOne(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not an origin: " + e.getReason(), e);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || !(path.isEmpty() || path.equals("/"))) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not an origin: write scheme://host[:port], e.g. https://data.example.org");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is plain http: credentials are sent over https:// only (or to a loopback"
              + " address)");
    }
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("'" + text + "' is not an http(s) origin");
    }
    return of(uri);
  }

  /** The origin of {@code uri}, with its port written out. */
  public static String of(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    return scheme + "://" + host + ":" + port;
  }

  /** True for hosts that name this machine: nothing sent to them crosses a network. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
  }

  /** True when credentials may travel to {@code uri}: an https origin, or a loopback one. */
  public static boolean safeToSend(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("https")
        || scheme.equals("http") && uri.getHost() != null && isLoopback(uri.getHost());
  }
}
