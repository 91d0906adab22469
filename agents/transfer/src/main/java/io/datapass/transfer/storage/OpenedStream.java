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
 * @param objectSize the whole object's size as the read's response gave it (an HTTP GET's
 *     Content-Length or Content-Range), or -1: the size when no stat could tell it
 */
public record OpenedStream(ReadableByteChannel channel, long offset, long objectSize)
    implements Closeable {

  public OpenedStream(ReadableByteChannel channel, long offset) {
    this(channel, offset, -1);
  }

  /** An open read of a stream-only source. */
  public static OpenedStream of(InputStream stream, long offset) {
    return new OpenedStream(new InputStreamChannel(stream), offset);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
