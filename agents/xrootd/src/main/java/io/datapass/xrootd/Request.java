package io.datapass.xrootd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One request: request id, 16 bytes of parameters, and data. Data of writes is referenced, not copied: the
 * caller must not reuse the array until the request's answer arrived.
 */
final class Request {
  private final int requestId;
  private final ByteBuffer params = ByteBuffer.allocate(16);
  private byte[] data = new byte[0];
  private int dataOffset;
  private int dataLength;

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
    this.data = bytes;
    this.dataOffset = offset;
    this.dataLength = length;
    return this;
  }

  /** The 24-byte header for {@code streamId}. */
  ByteBuffer header(int streamId) {
    ByteBuffer header = ByteBuffer.allocate(24);
    header.putShort((short) streamId).putShort((short) requestId).put(params.array()).putInt(dataLength);
    return header.flip();
  }

  ByteBuffer body() {
    return ByteBuffer.wrap(data, dataOffset, dataLength);
  }
}
