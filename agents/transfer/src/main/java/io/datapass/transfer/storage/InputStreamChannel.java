package io.datapass.transfer.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;

/**
 * A stream read as a channel, in reads as large as the caller's buffer ({@link
 * java.nio.channels.Channels}'s adapter reads 8 KiB at a time).
 */
public final class InputStreamChannel implements ReadableByteChannel {
  private static final int MAX_SCRATCH = 1 << 20;

  private final InputStream stream;
  private byte[] scratch = new byte[0];
  private boolean open = true;

  public InputStreamChannel(InputStream stream) {
    this.stream = stream;
  }

  @Override
  public int read(ByteBuffer target) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    if (target.hasArray()) {
      int n =
          stream.read(target.array(), target.arrayOffset() + target.position(), target.remaining());
      if (n > 0) {
        target.position(target.position() + n);
      }
      return n;
    }
    int want = Math.min(target.remaining(), MAX_SCRATCH);
    if (scratch.length < want) {
      scratch = new byte[want];
    }
    int n = stream.read(scratch, 0, want);
    if (n > 0) {
      target.put(scratch, 0, n);
    }
    return n;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    open = false;
    stream.close();
  }
}
