package io.datapass.transfer.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * An open read of an object.
 *
 * @param offset where the bytes of {@code stream} start in the object: the offset asked for, or 0 when the
 *     source could not resume (a server that ignored the Range header); the caller then starts over
 */
public record OpenedStream(InputStream stream, long offset) implements Closeable {
  @Override
  public void close() throws IOException {
    stream.close();
  }
}
