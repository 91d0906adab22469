package io.datapass.transfer.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what users write ({@code gs://b/my file.root}, {@code /data/x}, {@code https://h/p?q}) into
 * URIs.
 */
public final class Locations {
  private static final Pattern WITH_SCHEME =
      Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://([^/?#]*)([^?#]*)(?:\\?([^#]*))?(?:#(.*))?$");

  private Locations() {}

  /**
   * Parses a location. Plain paths become {@code file:} URIs (relative ones against the working
   * directory); characters URIs do not allow (spaces, non-ASCII) are quoted, so object names can be
   * written as they are.
   *
   * @throws IllegalArgumentException naming the location when it cannot be understood
   */
  public static URI parse(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("location is empty");
    }
    if (location.startsWith("file:")) {
      return URI.create(location);
    }
    Matcher m = WITH_SCHEME.matcher(location);
    if (!m.matches()) {
      return Path.of(location).toAbsolutePath().normalize().toUri();
    }
    try {
      return URI.create(location);
    } catch (IllegalArgumentException notStrict) {
      try {
        return new URI(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "not a valid location: '" + location + "': " + e.getReason(), e);
      }
    }
  }

  /**
   * The location as it may be stored where anyone reads it (the ready file, JSON results): without
   * user info, query and fragment, the parts that carry passwords, signatures and tokens.
   */
  public static String withoutSecrets(URI uri) {
    if (uri.getRawAuthority() == null) {
      return uri.getScheme() == null ? uri.getRawPath() : uri.getScheme() + ":" + uri.getRawPath();
    }
    String host = uri.getRawAuthority();
    host = host.substring(host.lastIndexOf('@') + 1);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return uri.getScheme() + "://" + host + path;
  }

  /** The last path segment, the name a download gets when the manifest gives no target. */
  public static String baseName(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (name.isEmpty() || name.equals("..") || name.equals(".")) {
      throw new IllegalArgumentException(
          "cannot derive a file name from " + withoutSecrets(uri) + "; give a target");
    }
    return name;
  }

  /** True for locations written with a trailing slash: a directory or prefix to list. */
  public static boolean isDirectory(URI uri) {
    String path = uri.getPath();
    return path != null && path.endsWith("/");
  }
}
