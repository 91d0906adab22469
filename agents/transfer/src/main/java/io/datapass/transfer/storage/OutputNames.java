package io.datapass.transfer.storage;

import io.datapass.common.Printable;

/**
 * The names a payload's files are stored under, never rewritten: a name that could mean another
 * place than the file's own is refused. On Linux '\' is an ordinary character, so turning it into
 * '/' would let {@code ..\..\x} climb out of the prefix; '?' and '#' would end an XRootD path and
 * start its CGI; control characters forge log lines; U+FFFD stands for bytes that are not UTF-8,
 * which would collide with each other.
 */
public final class OutputNames {
  private OutputNames() {}

  /**
   * Why {@code name} ('/'-separated, relative) cannot be stored as it is, or null when it can. A
   * trailing '/' (a directory) is allowed.
   */
  public static String refusal(String name) {
    if (name.isEmpty() || name.startsWith("/")) {
      return "not a relative name";
    }
    String body = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    for (String segment : body.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return "'" + segment + "' is not a directory of its own";
      }
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Printable.isControl(c)) {
        return "it holds a control character";
      }
      if (c == '\\' || c == '?' || c == '#') {
        return "it holds '" + c + "', which some storage reads as a separator";
      }
      if (c == '\uFFFD') {
        return "it is not valid UTF-8";
      }
    }
    return null;
  }

  /** The warning for a file left out for {@link #refusal}. */
  public static String leftOut(String name, String refusal) {
    return Printable.quoted(name) + " left out: its name is not stored as it is (" + refusal + ")";
  }
}
