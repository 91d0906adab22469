package io.datapass.xrootd;

import java.time.Duration;
import java.util.List;

/**
 * Client settings.
 *
 * @param user the login name (at most 8 characters are used)
 * @param requestTimeout how long one request may wait for its answer (kXR_wait and kXR_waitresp
 *     included)
 * @param maxRedirects how many kXR_redirect hops one request may take
 * @param securityProtocols what the client can answer when a server demands authentication
 */
public record XrootdSettings(
    String user,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRedirects,
    List<SecurityProtocol> securityProtocols) {

  public XrootdSettings {
    securityProtocols = List.copyOf(securityProtocols);
  }

  /**
   * The login name every agent sends: servers log it, and the local one says nothing (the image's
   * uid has no passwd entry, so the JVM's user.name is "?").
   */
  public static final String LOGIN_NAME = "datapass";

  public static XrootdSettings defaults() {
    String user = LOGIN_NAME;
    return new XrootdSettings(
        user,
        Duration.ofSeconds(30),
        Duration.ofSeconds(300),
        16,
        List.of(SecurityProtocol.unix(user, null)));
  }

  public XrootdSettings withRequestTimeout(Duration timeout) {
    return new XrootdSettings(user, connectTimeout, timeout, maxRedirects, securityProtocols);
  }

  public XrootdSettings withSecurityProtocols(List<SecurityProtocol> protocols) {
    return new XrootdSettings(user, connectTimeout, requestTimeout, maxRedirects, protocols);
  }
}
