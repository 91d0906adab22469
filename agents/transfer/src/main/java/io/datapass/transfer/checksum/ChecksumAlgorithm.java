package io.datapass.transfer.checksum;

import io.datapass.transfer.storage.LocalFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.zip.Adler32;
import java.util.zip.CRC32C;

/**
 * The checksum algorithms a manifest may name, with the hex length each value has and whether
 * hashing costs about as much as writing the bytes (md5 1.2 s per GiB here, sha256 0.6 s, both
 * through C2's intrinsics, see agents/jvm.options) or far less (adler32 0.3 s, crc32c 0.03 s).
 */
public enum ChecksumAlgorithm {
  ADLER32("adler32", 8, false),
  CRC32C("crc32c", 8, false),
  MD5("md5", 32, true),
  SHA256("sha256", 64, true);

  private final String label;
  private final int hexLength;
  private final boolean costly;

  ChecksumAlgorithm(String label, int hexLength, boolean costly) {
    this.label = label;
    this.hexLength = hexLength;
    this.costly = costly;
  }

  /** True when hashing a buffer on another thread while it is written saves time. */
  public boolean costly() {
    return costly;
  }

  public String label() {
    return label;
  }

  public int hexLength() {
    return hexLength;
  }

  public Hasher newHasher() {
    return switch (this) {
      case ADLER32 -> Hasher.of(new Adler32());
      case CRC32C -> Hasher.of(new CRC32C());
      case MD5 -> Hasher.of(digest("MD5"));
      case SHA256 -> Hasher.of(digest("SHA-256"));
    };
  }

  /** This checksum of a whole file, never read through a symbolic link. */
  public Checksum of(Path file) throws IOException {
    try (FileChannel in = LocalFiles.openToRead(file)) {
      return of(in);
    }
  }

  /** This checksum of a whole open file, from its first byte to its current size. */
  public Checksum of(FileChannel file) throws IOException {
    Hasher hasher = newHasher();
    FileHashing.update(hasher, file, 0, file.size());
    return new Checksum(this, hasher.hex());
  }

  /** Parses a label such as {@code adler32} (case-insensitive); {@code sha-256} is accepted too. */
  public static ChecksumAlgorithm fromLabel(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT).replace("-", "");
    for (ChecksumAlgorithm algorithm : values()) {
      if (algorithm.label.equals(wanted)) {
        return algorithm;
      }
    }
    throw new IllegalArgumentException(
        "unknown checksum algorithm '" + text + "' (known: " + knownLabels() + ")");
  }

  public static String knownLabels() {
    return Arrays.stream(values()).map(ChecksumAlgorithm::label).collect(Collectors.joining(", "));
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JRE lacks " + name, e);
    }
  }
}
