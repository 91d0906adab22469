package io.datapass.common;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets carried in URLs (signatures of pre-signed URLs, access tokens, XRootD {@code
 * authz}, passwords in user info) out of everything an agent prints. An agent's {@code main} masks
 * its standard streams first; every URL the agent is given or redirected to is registered before it
 * can appear in a log line, an error message (the JDK's own included) or the JSON result. Each
 * registered value is printed as {@value #MASK}.
 */
public final class Secrets {
  public static final String MASK = "***";

  /**
   * Query parameters whose values are secrets: names containing one of these words, in any case.
   */
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile(
          "(?i).*(authz|token|signature|sig|secret|password|passwd|credential|key|sas|auth).*");

  /** Shorter values are not masked: they would mask ordinary text too (and give away little). */
  private static final int SHORTEST = 6;

  /**
   * Anything written like a URL, valid or not: {@code scheme://authority[/path][?query]}, found in
   * text (a manifest) before it is parsed, so a parse error quoting it is masked too.
   */
  private static final Pattern URL_IN_TEXT =
      Pattern.compile(
          "([A-Za-z][A-Za-z0-9+.-]*)://([^/?#\\s\"'<>]*)[^?#\\s\"'<>]*(?:\\?([^#\\s\"'<>]*))?");

  /** Each secret with the number of scopes (or the process, for good) that keep it masked. */
  private static final Map<String, Integer> VALUES = new ConcurrentHashMap<>();

  private static final Scope PROCESS = new Scope(false);

  private Secrets() {}

  /** Registers the secret parts of {@code uri} for the rest of the process. */
  public static void hideIn(URI uri) {
    PROCESS.hideIn(uri);
  }

  /** Registers the secret parts of every URL written in {@code text}, for the process. */
  public static void hideInText(String text) {
    PROCESS.hideInText(text);
  }

  /** Registers one secret value, as written and percent-decoded, for the process. */
  public static void hide(String value) {
    PROCESS.hide(value);
  }

  /**
   * A scope whose secrets stay masked until it is closed: a long-running agent (the sidecar) opens
   * one per job it serves, so the set of masked values does not only grow.
   */
  public static Scope scope() {
    return new Scope(true);
  }

  /**
   * Secrets registered together and released together. Close a scope only once nothing printed
   * later can hold its values (its transfers ended, its log lines written).
   */
  public static final class Scope implements AutoCloseable {
    private final boolean closable;
    private final Set<String> mine = ConcurrentHashMap.newKeySet();

    private Scope(boolean closable) {
      this.closable = closable;
    }

    /**
     * Registers the secret parts of {@code uri}: a password or a token in user info, and the values
     * of secret-looking query parameters.
     */
    public Scope hideIn(URI uri) {
      return hideParts(uri.getScheme(), uri.getRawUserInfo(), uri.getRawQuery());
    }

    /** Registers the secret parts of every URL written in {@code text}. */
    public Scope hideInText(String text) {
      if (text != null) {
        Matcher url = URL_IN_TEXT.matcher(text);
        while (url.find()) {
          String authority = url.group(2);
          int at = authority.lastIndexOf('@');
          hideParts(url.group(1), at < 0 ? null : authority.substring(0, at), url.group(3));
        }
      }
      return this;
    }

    private Scope hideParts(String scheme, String userInfo, String query) {
      if (userInfo != null) {
        // "user:password"; over http(s) a name alone is a token ("https://TOKEN@host/", as git
        // takes it), elsewhere a user name (root://user@host)
        int colon = userInfo.indexOf(':');
        if (colon >= 0) {
          hide(userInfo.substring(colon + 1));
        } else if (scheme != null && scheme.toLowerCase(Locale.ROOT).startsWith("http")) {
          hide(userInfo);
        }
      }
      if (query != null) {
        for (String pair : query.split("&")) {
          int equals = pair.indexOf('=');
          if (equals > 0 && isSecretParameter(pair.substring(0, equals))) {
            hide(pair.substring(equals + 1));
          }
        }
      }
      return this;
    }

    /** Registers one secret value, as written and percent-decoded. */
    public Scope hide(String value) {
      if (value == null || value.length() < SHORTEST) {
        return this;
      }
      add(value);
      try {
        String decoded = URLDecoder.decode(value, StandardCharsets.UTF_8);
        if (decoded.length() >= SHORTEST) {
          add(decoded);
        }
      } catch (IllegalArgumentException notEncoded) {
        // printed as written only
      }
      return this;
    }

    private void add(String value) {
      if (!closable) {
        VALUES.put(value, Integer.MAX_VALUE); // kept for good, whatever scopes do
      } else if (mine.add(value)) {
        VALUES.merge(value, 1, (a, b) -> a == Integer.MAX_VALUE ? a : a + b);
      }
    }

    /** Stops masking the values only this scope registered. */
    @Override
    public void close() {
      if (!closable) {
        return;
      }
      for (String value : mine) {
        VALUES.computeIfPresent(
            value, (v, count) -> count == Integer.MAX_VALUE || count > 1 ? decrement(count) : null);
      }
      mine.clear();
    }

    private static Integer decrement(int count) {
      return count == Integer.MAX_VALUE ? count : count - 1;
    }
  }

  /**
   * A URL's query and fragment in text: whatever a parameter is called ({@code t=}, {@code x=},
   * {@code %73ig=}), its value may be a secret.
   */
  private static final Pattern QUERY_OF_URL =
      Pattern.compile(
          "([A-Za-z][A-Za-z0-9+.-]*://[^?#\\s\"'<>]*)\\?([^#\\s\"'<>]*)(#[^\\s\"'<>]*)?");

  /**
   * The text with every registered secret replaced by {@value #MASK}, and the value of every query
   * parameter (and the fragment) of a URL written in it.
   */
  public static String mask(String text) {
    String masked = text.contains("://") ? maskQueries(text) : text;
    for (String value : VALUES.keySet()) {
      if (masked.contains(value)) {
        masked = masked.replace(value, MASK);
      }
    }
    return masked;
  }

  private static String maskQueries(String text) {
    Matcher url = QUERY_OF_URL.matcher(text);
    StringBuilder out = new StringBuilder();
    while (url.find()) {
      StringBuilder query = new StringBuilder();
      for (String pair : url.group(2).split("&", -1)) {
        int equals = pair.indexOf('=');
        query.append(query.length() == 0 ? "" : "&");
        query.append(
            equals < 0 ? (pair.isEmpty() ? "" : MASK) : pair.substring(0, equals + 1) + MASK);
      }
      String fragment = url.group(3) == null ? "" : "#" + MASK;
      url.appendReplacement(out, Matcher.quoteReplacement(url.group(1) + "?" + query + fragment));
    }
    url.appendTail(out);
    return out.toString();
  }

  /**
   * Replaces {@code System.out} and {@code System.err} by masking ones (the SLF4J simple logger
   * writes to the latter).
   */
  public static void maskStandardStreams() {
    System.setOut(masking(System.out));
    System.setErr(masking(System.err));
  }

  /** A stream that writes to {@code target} line by line, each line masked. */
  public static PrintStream masking(PrintStream target) {
    return new PrintStream(new MaskingLines(target), true, StandardCharsets.UTF_8);
  }

  static boolean isSecretParameter(String name) {
    return SECRET_PARAMETER.matcher(name).matches();
  }

  /**
   * Collects what is printed and writes it masked at each line end or flush (a PrintStream flushes
   * after every print call, so a value printed in one call is masked whole).
   */
  private static final class MaskingLines extends OutputStream {
    private final PrintStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    MaskingLines(PrintStream target) {
      this.target = target;
    }

    @Override
    public synchronized void write(int b) {
      line.write(b);
      if (b == '\n') {
        emit();
      }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      int start = offset;
      for (int i = offset; i < offset + length; i++) {
        if (bytes[i] == '\n') {
          line.write(bytes, start, i + 1 - start);
          emit();
          start = i + 1;
        }
      }
      line.write(bytes, start, offset + length - start);
    }

    @Override
    public synchronized void flush() {
      emit();
    }

    @Override
    public synchronized void close() {
      emit();
      target.close();
    }

    private void emit() {
      if (line.size() > 0) {
        target.print(mask(line.toString(StandardCharsets.UTF_8)));
        target.flush();
        line.reset();
      }
    }
  }
}
