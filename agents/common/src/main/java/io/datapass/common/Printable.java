package io.datapass.common;

/**
 * Text a payload chose (a file name, a message) made safe to print: control characters (a newline
 * that would forge a log line, ESC sequences that would drive a terminal) shown escaped.
 */
public final class Printable {
  private Printable() {}

  /** {@code text} in double quotes, with '"', '\' and control characters escaped as in JSON. */
  public static String quoted(String text) {
    return '"' + escape(text, true) + '"';
  }

  /** {@code text} with its control characters escaped (\n, \r, \t, \e, else \\uXXXX). */
  public static String escaped(String text) {
    return text == null ? null : escape(text, false);
  }

  private static String escape(String text, boolean quoted) {
    StringBuilder out = new StringBuilder(text.length() + 2);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '"' -> out.append(quoted ? "\\\"" : "\"");
        case '\\' -> out.append(quoted ? "\\\\" : "\\");
        default -> {
          if (isControl(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** C0, DEL, C1, and the line and paragraph separators some terminals and logs break on. */
  public static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }
}
