package io.datapass.transfer.checksum;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Hashes a file, or a region of one, through a direct buffer kept per thread: allocating and
 * zeroing a fresh one for each file costs more than hashing a small file.
 */
public final class FileHashing {
  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1 << 20));

  private FileHashing() {}

  /**
   * Feeds {@code length} bytes of {@code file} from {@code position} to {@code hasher}.
   *
   * @throws EOFException naming the byte where the file ended, when it is shorter than that
   */
  public static void update(Hasher hasher, FileChannel file, long position, long length)
      throws IOException {
    ByteBuffer buffer = BUFFER.get();
    long at = position;
    long end = position + length;
    while (at < end) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
      int n = file.read(buffer, at);
      if (n < 0) {
        throw new EOFException("file ended at byte " + at);
      }
      hasher.update(buffer.flip());
      at += n;
    }
  }
}
