package io.datapass.transfer.checksum;

import java.security.MessageDigest;
import java.util.HexFormat;

/** Incremental checksum computation over one stream of bytes. */
public interface Hasher {
  void update(byte[] buffer, int offset, int length);

  /** Hashes the buffer's remaining bytes, leaving its position untouched. */
  void update(java.nio.ByteBuffer buffer);

  /** The value so far as lower-case hex, big-endian for the 32-bit checksums. */
  String hex();

  static Hasher of(java.util.zip.Checksum checksum) {
    return new Hasher() {
      @Override
      public void update(byte[] buffer, int offset, int length) {
        checksum.update(buffer, offset, length);
      }

      @Override
      public void update(java.nio.ByteBuffer buffer) {
        checksum.update(buffer.duplicate());
      }

      @Override
      public String hex() {
        return String.format("%08x", checksum.getValue());
      }
    };
  }

  static Hasher of(MessageDigest digest) {
    return new Hasher() {
      @Override
      public void update(byte[] buffer, int offset, int length) {
        digest.update(buffer, offset, length);
      }

      @Override
      public void update(java.nio.ByteBuffer buffer) {
        digest.update(buffer.duplicate());
      }

      @Override
      public String hex() {
        try {
          return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }
}
