package io.datapass.cli.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name charts/user-pod gives a user's pod and Service, {@code <experiment>-<user>} made a DNS
 * label of at most 52 characters as datapass-lib's {@code dnsName} does; the command installs the
 * release under the same name, so {@code helm list} and {@code kubectl get pod} agree.
 */
final class UserPodName {
  static final int MAX = 52;
  // a letter first: a Service's name must start with one (DNS-1035)
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final int HASH_DIGITS = 8;

  private UserPodName() {}

  static String of(String experiment, String user) {
    return dnsName(experiment.isEmpty() ? user : experiment + "-" + user);
  }

  /**
   * Kept when it is a DNS label short enough; otherwise lowercased, each run of other characters
   * one '-', cut, and the first 8 hex digits of the sha256 of the name as given added, so that
   * names that clean up alike (Jane.Doe, jane-doe) stay apart.
   */
  static String dnsName(String name) {
    if (name.length() <= MAX && DNS_LABEL.matcher(name).matches()) {
      return name;
    }
    String hash = sha256(name).substring(0, HASH_DIGITS);
    String clean = trimDashes(name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
    boolean digitFirst = Character.isDigit((clean.isEmpty() ? hash : clean).charAt(0));
    int room = MAX - HASH_DIGITS - 1 - (digitFirst ? 1 : 0);
    clean = trimDashes(clean.substring(0, Math.min(clean.length(), room)));
    String label = clean.isEmpty() ? hash : clean + "-" + hash;
    return digitFirst ? "n" + label : label;
  }

  private static String trimDashes(String name) {
    return name.replaceAll("^-+|-+$", "");
  }

  private static String sha256(String name) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
