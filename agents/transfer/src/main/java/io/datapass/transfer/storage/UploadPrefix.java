package io.datapass.transfer.storage;

import io.datapass.common.ConfigException;
import io.datapass.common.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The prefix a role uploads under ({@code gs://bucket/dir/}, {@code root://host//dir/}, a mounted
 * directory): parsed once for every role, and the names put under it.
 */
public final class UploadPrefix {
  private UploadPrefix() {}

  /**
   * The prefix {@code value} names, or null when it is blank.
   *
   * @param name the flag or variable the value came from, for errors
   * @throws ConfigException naming {@code name} for anything but a gs:// or root:// URL with its
   *     bucket or server, or an absolute path, ending in '/'
   */
  public static URI parse(String value, String name) throws ConfigException {
    if (value == null || value.isBlank()) {
      return null;
    }
    // Its secrets (a token in the query, a password in user info) masked before any error quotes
    // it: the error goes out before the role's own masking starts.
    Secrets.hideInText(value);
    String shown = Secrets.mask(value);
    URI uri;
    try {
      uri =
          value.strip().startsWith("/")
              ? new URI("file", null, value.strip(), null) // a path, spelled as it is
              : new URI(value.strip());
    } catch (URISyntaxException e) {
      throw new ConfigException(name + " is not a valid URL: " + Secrets.mask(e.getMessage()));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("gs") && !scheme.equals("root") && !scheme.equals("file")) {
      throw new ConfigException(
          name + " must be a gs:// or root:// URL or an absolute path, got '" + shown + "'");
    }
    if (scheme.equals("file")
        && (uri.isOpaque() || uri.getAuthority() != null || !uri.getPath().startsWith("/"))) {
      throw new ConfigException(name + " must be an absolute path, got '" + shown + "'");
    }
    if (uri.getPath() == null || !uri.getPath().endsWith("/")) {
      throw new ConfigException(
          name + " must end with '/': it is the prefix the outputs go under, got '" + shown + "'");
    }
    if (!scheme.equals("file") && (uri.getHost() == null || uri.getHost().isBlank())) {
      throw new ConfigException(
          name
              + " must name its "
              + (scheme.equals("gs") ? "bucket: gs://BUCKET/dir/" : "server: root://HOST//dir/")
              + ", got '"
              + shown
              + "'");
    }
    if (scheme.equals("file")) {
      // One spelling of a mounted path, so that a rerun finds what an earlier run recorded.
      try {
        String path = Path.of(uri.getPath()).normalize().toString();
        return new URI("file", null, path.endsWith("/") ? path : path + "/", null);
      } catch (URISyntaxException e) {
        throw new ConfigException(name + " is not a valid path: " + e.getMessage());
      }
    }
    return uri;
  }

  /**
   * {@code prefix} (ending in '/') with {@code name} appended to its path; its query kept.
   *
   * @throws IllegalArgumentException for a name that could lead outside the prefix or be read as
   *     more than a path ({@link OutputNames#refusal}), whatever made it
   */
  public static URI under(URI prefix, String name) {
    String refusal = name.isEmpty() ? null : OutputNames.refusal(name);
    if (refusal != null) {
      throw new IllegalArgumentException(
          "not stored under " + withoutQuery(prefix) + ": " + OutputNames.leftOut(name, refusal));
    }
    try {
      return new URI(
          prefix.getScheme(),
          prefix.getRawAuthority() == null ? null : prefix.getAuthority(),
          prefix.getPath() + name,
          prefix.getQuery(),
          null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "cannot put " + name + " under " + prefix + ": " + e.getMessage(), e);
    }
  }

  /**
   * For logs, manifests and reports: a query may carry credentials (XRootD authz), user info a
   * password, so both are left out.
   */
  public static String withoutQuery(URI uri) {
    return Locations.withoutSecrets(uri);
  }
}
