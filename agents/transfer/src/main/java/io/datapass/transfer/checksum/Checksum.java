package io.datapass.transfer.checksum;

import java.util.HexFormat;
import java.util.Locale;

/**
 * An expected or computed checksum, written {@code algorithm:hexvalue} (e.g. {@code
 * adler32:0a1b2c3d}).
 */
public record Checksum(ChecksumAlgorithm algorithm, String hex) {

  public Checksum {
    if (algorithm == null) {
      throw new IllegalArgumentException("checksum algorithm is missing");
    }
    hex = hex == null ? "" : hex.trim().toLowerCase(Locale.ROOT);
    if (hex.length() != algorithm.hexLength() || !hex.chars().allMatch(Checksum::isHexDigit)) {
      throw new IllegalArgumentException(
          "a "
              + algorithm.label()
              + " value has "
              + algorithm.hexLength()
              + " hex digits, got '"
              + hex
              + "'");
    }
  }

  /** Parses {@code algorithm:hex}; the message of the exception says what is wrong. */
  public static Checksum parse(String spec) {
    int colon = spec == null ? -1 : spec.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "expected 'algorithm:hexvalue' (algorithms: "
              + ChecksumAlgorithm.knownLabels()
              + "), got '"
              + spec
              + "'");
    }
    return new Checksum(
        ChecksumAlgorithm.fromLabel(spec.substring(0, colon)), spec.substring(colon + 1));
  }

  /**
   * As the base64 big-endian bytes cloud object stores use (GCS {@code crc32c}, {@code md5Hash}).
   */
  public String base64() {
    return java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex()));
  }

  /**
   * From the base64 big-endian bytes cloud object stores report (GCS {@code crc32c}, {@code
   * md5Hash}).
   */
  public static Checksum fromBase64(ChecksumAlgorithm algorithm, String base64) {
    return new Checksum(
        algorithm, HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(base64)));
  }

  private static boolean isHexDigit(int c) {
    return Character.digit(c, 16) >= 0;
  }

  @Override
  public String toString() {
    return algorithm.label() + ":" + hex;
  }
}
