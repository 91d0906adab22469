package io.datapass.transfer.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Adler32;
import java.util.zip.CRC32C;

/**
 * Test payloads and reference checksums computed with the JDK directly, not through the code under
 * test.
 */
public final class TestData {
  private TestData() {}

  public static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  public static String sha256(byte[] data) {
    return HexFormat.of().formatHex(digest("SHA-256", data));
  }

  public static String md5(byte[] data) {
    return HexFormat.of().formatHex(digest("MD5", data));
  }

  public static String adler32(byte[] data) {
    Adler32 adler = new Adler32();
    adler.update(data);
    return String.format("%08x", adler.getValue());
  }

  public static String crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return String.format("%08x", crc.getValue());
  }

  /** Names of the entries directly in {@code dir}, sorted. */
  public static List<String> namesIn(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** The {@code .part} files directly in {@code dir}. */
  public static List<Path> partFiles(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.filter(p -> p.getFileName().toString().endsWith(".part")).sorted().toList();
    }
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
