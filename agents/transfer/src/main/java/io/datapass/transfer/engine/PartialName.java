package io.datapass.transfer.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one definition of a partial file's name, {@code .NAME.HASH.part} beside the target {@code
 * NAME}: written by {@link PartialFile}, recognised again by {@link LeftoverPartials}. HASH is 12
 * hex digits of the SHA-256 of the object's URI and version, so a restarted agent resumes its own
 * bytes, never those of another version.
 */
final class PartialName {
  /** Matches every partial file name (and possibly a few others: {@link #targetName} decides). */
  static final String GLOB = ".*.part";

  private static final String SUFFIX = ".part";
  private static final int HASH_LENGTH = 12;

  private PartialName() {}

  /**
   * The partial file for {@code target} holding the object identified by {@code uri} at {@code
   * version}.
   */
  static Path of(Path target, String uri, String version) {
    String hash = HexFormat.of().formatHex(sha256(uri + "\n" + version), 0, HASH_LENGTH / 2);
    return target.resolveSibling("." + target.getFileName() + "." + hash + SUFFIX);
  }

  /** NAME of {@code .NAME.HASH.part}, or null for any other file name. */
  static String targetName(String fileName) {
    int hashStart = fileName.length() - SUFFIX.length() - HASH_LENGTH;
    if (!fileName.startsWith(".")
        || !fileName.endsWith(SUFFIX)
        || hashStart < 3
        || fileName.charAt(hashStart - 1) != '.') {
      return null;
    }
    for (int i = hashStart; i < hashStart + HASH_LENGTH; i++) {
      if (Character.digit(fileName.charAt(i), 16) < 0) {
        return null;
      }
    }
    return fileName.substring(1, hashStart - 1);
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
