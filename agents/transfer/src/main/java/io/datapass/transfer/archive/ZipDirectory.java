package io.datapass.transfer.archive;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A zip's central directory measured record by record, in constant memory, before a parser holds
 * every entry on the heap: half a million empty entries in a 44 MB zip exhausted a 64 MiB heap
 * inside the parser, before any entry cap could apply. The records are counted, not the count the
 * end record declares, which a hostile archive can understate.
 */
final class ZipDirectory {
  private static final int END = 0x06054b50;
  private static final int END_LENGTH = 22;
  private static final int ZIP64_LOCATOR = 0x07064b50;
  private static final int ZIP64_END = 0x06064b50;
  private static final int CENTRAL_HEADER = 0x02014b50;
  private static final int CENTRAL_HEADER_LENGTH = 46;
  private static final int MAX_COMMENT = 0xffff;

  /**
   * @param entries central directory records counted (stopped one past the cap)
   * @param bytes the central directory's size in bytes, as far as it was read
   */
  record Measure(long entries, long bytes) {}

  /** Heap a zip parser takes per byte of central directory (names as Java strings, objects). */
  private static final int HEAP_PER_DIRECTORY_BYTE = 4;

  private ZipDirectory() {}

  /**
   * Refuses a zip whose central directory holds more entries than allowed, or more than the heap
   * can hold, before the parser reads it all into memory.
   */
  static void requireWithin(Path archive, String name, ExtractionLimits limits) throws IOException {
    Measure measure = measure(archive, limits.maxEntries());
    if (measure == null) {
      return;
    }
    if (measure.entries() > limits.maxEntries()) {
      throw new UnsafeArchiveException(
          name,
          "holds more than the "
              + limits.maxEntries()
              + " entries allowed; raise --max-unpack-entries if the archive is trusted (the"
              + " agent's heap may need raising too, about 1 MiB per 2,000 entries)");
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (measure.bytes() * HEAP_PER_DIRECTORY_BYTE > heap) {
      throw new UnsafeArchiveException(
          name,
          "its central directory ("
              + measure.bytes() / (1 << 20)
              + " MiB) needs more memory than the agent's heap ("
              + heap / (1 << 20)
              + " MiB) holds; raise the heap (JAVA_TOOL_OPTIONS=-Xmx...) if the archive is"
              + " trusted");
    }
  }

  /**
   * Measures the central directory, counting at most {@code maxEntries + 1} records; null when no
   * end record is found (the parser then reports the damage).
   */
  static Measure measure(Path zip, long maxEntries) throws IOException {
    try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
      long size = channel.size();
      int tailLength = (int) Math.min(size, END_LENGTH + MAX_COMMENT);
      ByteBuffer tail = read(channel, size - tailLength, tailLength);
      int end = -1;
      for (int i = tailLength - END_LENGTH; i >= 0; i--) {
        if (tail.getInt(i) == END) {
          end = i;
          break;
        }
      }
      if (end < 0) {
        return null;
      }
      long start = Integer.toUnsignedLong(tail.getInt(end + 16));
      long endPosition = size - tailLength + end;
      if (start == 0xffffffffL && endPosition >= 20) {
        ByteBuffer locator = read(channel, endPosition - 20, 20);
        if (locator.getInt(0) == ZIP64_LOCATOR) {
          ByteBuffer zip64 = read(channel, locator.getLong(8), 56);
          if (zip64.getInt(0) == ZIP64_END) {
            start = zip64.getLong(48);
          }
        }
      }
      return count(channel, start, maxEntries);
    }
  }

  private static Measure count(FileChannel channel, long start, long maxEntries)
      throws IOException {
    channel.position(start);
    InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
    byte[] header = new byte[CENTRAL_HEADER_LENGTH];
    ByteBuffer fields = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    long entries = 0;
    long bytes = 0;
    while (entries <= maxEntries
        && in.readNBytes(header, 0, header.length) == header.length
        && fields.getInt(0) == CENTRAL_HEADER) {
      long variable =
          Short.toUnsignedInt(fields.getShort(28))
              + Short.toUnsignedInt(fields.getShort(30))
              + Short.toUnsignedInt(fields.getShort(32));
      try {
        in.skipNBytes(variable);
      } catch (EOFException truncated) {
        break; // the parser reports the damage
      }
      entries++;
      bytes += CENTRAL_HEADER_LENGTH + variable;
    }
    return new Measure(entries, bytes);
  }

  private static ByteBuffer read(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
      // reads until full or end of file
    }
    return buffer.flip().limit(length);
  }
}
