package io.datapass.xrootd;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads answer frames through a direct buffer. Data at least as large as that buffer goes straight
 * from the channel into the caller's buffer, so a large kXR_read costs one copy (the kernel's) into
 * a direct buffer.
 */
final class FrameInput {
  private static final int BUFFER_SIZE = 64 * 1024;

  private final ReadableByteChannel channel;

  /** Unread bytes between position and limit. */
  private final ByteBuffer buffered;

  private final ByteBuffer header = ByteBuffer.allocate(8);

  FrameInput(ReadableByteChannel channel) {
    this(channel, ByteBuffer.allocateDirect(BUFFER_SIZE).limit(0));
  }

  private FrameInput(ReadableByteChannel channel, ByteBuffer buffered) {
    this.channel = channel;
    this.buffered = buffered;
  }

  /** Reads from {@code bytes} only (the body of an async answer, already read). */
  static FrameInput of(ByteBuffer bytes) {
    return new FrameInput(null, bytes.slice());
  }

  /** The next 8-byte answer header: stream id, status, data length. */
  ByteBuffer header() throws IOException {
    fill(header.clear());
    return header.flip();
  }

  byte[] bytes(int length) throws IOException {
    byte[] bytes = new byte[length];
    fill(ByteBuffer.wrap(bytes));
    return bytes;
  }

  /** Reads {@code length} bytes into {@code target} at its position, which it advances. */
  void readInto(ByteBuffer target, int length) throws IOException {
    int limit = target.limit();
    target.limit(target.position() + length);
    fill(target);
    target.limit(limit);
  }

  void skip(int length) throws IOException {
    int left = length;
    while (left > 0) {
      if (!buffered.hasRemaining()) {
        refill();
      }
      int n = Math.min(left, buffered.remaining());
      buffered.position(buffered.position() + n);
      left -= n;
    }
  }

  private void fill(ByteBuffer target) throws IOException {
    while (target.hasRemaining()) {
      if (buffered.hasRemaining()) {
        int n = Math.min(buffered.remaining(), target.remaining());
        target.put(buffered.slice().limit(n));
        buffered.position(buffered.position() + n);
      } else if (channel != null && target.remaining() >= buffered.capacity()) {
        if (channel.read(target) < 0) {
          throw new EOFException("end of stream");
        }
      } else {
        refill();
      }
    }
  }

  private void refill() throws IOException {
    if (channel == null) {
      throw new EOFException("answer shorter than its length says");
    }
    buffered.clear();
    int n = channel.read(buffered);
    buffered.flip();
    if (n < 0) {
      throw new EOFException("end of stream");
    }
  }
}
