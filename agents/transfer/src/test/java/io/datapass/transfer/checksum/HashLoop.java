package io.datapass.transfer.checksum;

import java.nio.ByteBuffer;

/**
 * Hashes {@code MIB} MiB of a fixed pattern through a direct buffer, as downloads are hashed, and
 * prints the value. Run in its own JVM by {@link JvmOptionsDigestIT}. usage: HashLoop ALGORITHM MIB
 */
public final class HashLoop {
  private HashLoop() {}

  public static void main(String[] args) {
    Hasher hasher = ChecksumAlgorithm.fromLabel(args[0]).newHasher();
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    buffer.put(pattern()).flip();
    for (int i = Integer.parseInt(args[1]); i > 0; i--) {
      hasher.update(buffer);
    }
    System.out.println(hasher.hex());
  }

  /** One MiB of bytes that repeat no shorter block. */
  static byte[] pattern() {
    byte[] bytes = new byte[1 << 20];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31 + (i >>> 9));
    }
    return bytes;
  }
}
