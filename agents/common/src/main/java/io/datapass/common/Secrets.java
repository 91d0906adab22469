package io.datapass.common;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

  private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();

  private Secrets() {}

  /** Registers the secret parts of {@code uri}. */
  public static void hideIn(URI uri) {
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && userInfo.contains(":")) {
      hide(userInfo.substring(userInfo.indexOf(':') + 1));
    }
    String query = uri.getRawQuery();
    if (query == null) {
      return;
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0 && isSecretParameter(pair.substring(0, equals))) {
        hide(pair.substring(equals + 1));
      }
    }
  }

  /** Registers one secret value, as written and percent-decoded. */
  public static void hide(String value) {
    if (value == null || value.length() < SHORTEST) {
      return;
    }
    VALUES.add(value);
    try {
      String decoded = URLDecoder.decode(value, StandardCharsets.UTF_8);
      if (decoded.length() >= SHORTEST) {
        VALUES.add(decoded);
      }
    } catch (IllegalArgumentException notEncoded) {
      // printed as written only
    }
  }

  /** The text with every registered secret replaced by {@value #MASK}. */
  public static String mask(String text) {
    String masked = text;
    for (String value : VALUES) {
      if (masked.contains(value)) {
        masked = masked.replace(value, MASK);
      }
    }
    return masked;
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
