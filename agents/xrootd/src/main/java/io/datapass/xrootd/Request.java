package io.datapass.xrootd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * One request: request id, 16 bytes of parameters, and data. The data is referenced, not copied:
 * bytes from an array or buffer, or a region of a file that is sent straight from the page cache.
 * The caller must leave it unchanged until the request's answer arrived (a kXR_wait makes the
 * connection send it again).
 */
final class Request {
  private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0);

  private final int requestId;
  private final ByteBuffer params = ByteBuffer.allocate(16);
  private ByteBuffer data = NO_DATA;
  private FileChannel file;
  private long filePosition;
  private int fileLength;

  Request(int requestId) {
    this.requestId = requestId;
  }

  int requestId() {
    return requestId;
  }

  Request putShort(int offset, int value) {
    params.putShort(offset, (short) value);
    return this;
  }

  Request putInt(int offset, int value) {
    params.putInt(offset, value);
    return this;
  }

  Request putLong(int offset, long value) {
    params.putLong(offset, value);
    return this;
  }

  Request putByte(int offset, int value) {
    params.put(offset, (byte) value);
    return this;
  }

  Request putBytes(int offset, byte[] bytes) {
    params.put(offset, bytes);
    return this;
  }

  Request data(byte[] bytes) {
    return data(bytes, 0, bytes.length);
  }

  Request data(String text) {
    return data(text.getBytes(StandardCharsets.UTF_8));
  }

  Request data(byte[] bytes, int offset, int length) {
    return data(ByteBuffer.wrap(bytes, offset, length));
  }

  /** The bytes between the buffer's position and limit. */
  Request data(ByteBuffer bytes) {
    this.data = bytes.slice();
    this.file = null;
    return this;
  }

  /** {@code length} bytes of {@code source} from {@code position}, sent with sendfile. */
  Request data(FileChannel source, long position, int length) {
    this.data = NO_DATA;
    this.file = source;
    this.filePosition = position;
    this.fileLength = length;
    return this;
  }

  /** The 24-byte header for {@code streamId}. */
  ByteBuffer header(int streamId) {
    ByteBuffer header = ByteBuffer.allocate(24);
    header
        .putShort((short) streamId)
        .putShort((short) requestId)
        .put(params.array())
        .putInt(dataLength());
    return header.flip();
  }

  int dataLength() {
    return file != null ? fileLength : data.remaining();
  }

  boolean dataInFile() {
    return file != null;
  }

  /** The data from memory, as a fresh view (a resend starts again from its first byte). */
  ByteBuffer body() {
    return data.duplicate();
  }

  /**
   * Sends the file region to {@code target}; fails if the file is shorter than the request says.
   */
  void transferFileData(WritableByteChannel target) throws IOException {
    long position = filePosition;
    long end = filePosition + fileLength;
    while (position < end) {
      long sent = file.transferTo(position, end - position, target);
      if (sent <= 0 && position >= file.size()) {
        throw new IOException(
            "file ended at byte "
                + position
                + " while sending a write of "
                + fileLength
                + " bytes");
      }
      position += sent;
    }
  }
}
