package io.datapass.transfer.storage.http;

import io.datapass.transfer.storage.TransferException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Where a server may send the agent: never from https down to plain http (the content would travel
 * in clear) unless allowed, and never to a cloud metadata service (a link-local address, or its
 * well-known names), which would hand a hostile server the node's credentials.
 */
final class RedirectRules {
  /** Set to {@code allow} to follow redirects from https to plain http. */
  static final String ALLOW_DOWNGRADE_ENV = "DATAPASS_HTTP_ALLOW_DOWNGRADE";

  private static final Set<String> METADATA_NAMES =
      Set.of("metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal");

  private RedirectRules() {}

  /**
   * @throws TransferException (permanent) saying why the redirect from {@code from} to {@code to}
   *     is refused
   */
  static void check(URI from, URI to, boolean allowDowngrade) throws TransferException {
    if ("https".equalsIgnoreCase(from.getScheme())
        && "http".equalsIgnoreCase(to.getScheme())
        && !allowDowngrade) {
      throw TransferException.permanent(
          "refused: a redirect from https to plain http ("
              + to.getScheme()
              + "://"
              + to.getRawAuthority()
              + "), where the content would travel in clear; set "
              + ALLOW_DOWNGRADE_ENV
              + "=allow to follow it");
    }
    String host = to.getHost();
    if (host != null && isMetadata(host)) {
      throw TransferException.permanent(
          "refused: a redirect to " + host + ", a cloud metadata address");
    }
  }

  private static boolean isMetadata(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    if (METADATA_NAMES.contains(name)) {
      return true;
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(name)) {
        if (address.isLinkLocalAddress()
            || address.equals(InetAddress.getByName("fd00:ec2::254"))) {
          return true;
        }
      }
    } catch (UnknownHostException e) {
      return false; // the request itself reports the unknown host
    }
    return false;
  }
}
