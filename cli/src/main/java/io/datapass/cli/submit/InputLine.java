package io.datapass.cli.submit;

import io.datapass.common.ConfigException;
import io.datapass.common.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One line of an {@code --inputs} file, checked for what would only fail in the pod: a relative
 * path or {@code file:} URI (the pod has not the submitter's working directory), a {@code gs://} or
 * {@code root://} URI naming no object. A '#' after white space starts a comment ('#' inside a URI
 * is its fragment).
 */
final class InputLine {
  static final Set<String> SCHEMES = Set.of("gs", "root", "http", "https", "file");
  private static final Pattern COMMENT = Pattern.compile("(^|\\s+)#.*$");

  private InputLine() {}

  /** The input on the line, or null for a blank or comment line; {@code where} is FILE:LINE: . */
  static String checked(String line, String where) throws ConfigException {
    String input = COMMENT.matcher(line).replaceFirst("").strip();
    if (input.isEmpty()) {
      return null;
    }
    if (input.chars().anyMatch(Character::isWhitespace)) {
      throw new ConfigException(where + "one input a line, without spaces: '" + input + "'");
    }
    if (input.startsWith("/")) {
      return input;
    }
    if (!input.contains(":")) {
      throw new ConfigException(
          where + "a relative path: give an absolute path in the pod, or a URI");
    }
    URI uri = parse(input, where);
    Secrets.hideIn(uri);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!SCHEMES.contains(scheme)) {
      throw new ConfigException(where + "scheme '" + scheme + "' is not one of " + SCHEMES);
    }
    if (scheme.equals("file") && (uri.getPath() == null || !uri.getPath().startsWith("/"))) {
      throw new ConfigException(where + "not an absolute file: URI (file:/path or file:///path)");
    }
    if ((scheme.equals("gs") || scheme.equals("root"))
        && (uri.getPath() == null || uri.getPath().replace("/", "").isEmpty())) {
      throw new ConfigException(
          where + "names no object (" + scheme + "://HOST/OBJECT, not the bucket or server alone)");
    }
    return input;
  }

  static URI parse(String text, String where) throws ConfigException {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new ConfigException(where + "not a URI: " + e.getMessage());
    }
  }
}
