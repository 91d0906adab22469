package io.datapass.transfer.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ReadableByteChannel;

/**
 * An open read of an object, as a channel: sources that can read into the engine's direct buffer (a
 * socket, a file) do so without a copy through the Java heap.
 *
 * @param offset where the bytes of {@code channel} start in the object: the offset asked for, or 0
 *     when the source could not resume (a server that ignored the Range header); the caller then
 *     starts over
 */
public record OpenedStream(ReadableByteChannel channel, long offset) implements Closeable {

  /** An open read of a stream-only source. */
  public static OpenedStream of(InputStream stream, long offset) {
    return new OpenedStream(new InputStreamChannel(stream), offset);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
