package io.datapass.transfer.storage.http;

import io.datapass.transfer.storage.TransferException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * An HTTP body that ends only where its response said it would: a connection closed before the
 * Content-Length (or the Content-Range) was reached is a transient failure, never the end of the
 * object, even when the object's size was not known in advance (HEAD refused). The chunked coding's
 * own end is checked by the transport reading it.
 */
final class CompleteBody implements ReadableByteChannel {
  private final ReadableByteChannel body;
  private final long length;
  private final long end;
  private final long objectSize;
  private final URI uri;
  private long received;

  /**
   * @param length bytes the body must carry, or -1 when only its framing says (chunked, or until
   *     the connection ends)
   * @param end the object offset just past this body (for a 206: the Content-Range end + 1; else
   *     {@code length})
   * @param objectSize the object's size from Content-Range, or -1: a range ending before it is not
   *     the whole object
   */
  CompleteBody(ReadableByteChannel body, long length, long end, long objectSize, URI uri) {
    this.body = body;
    this.length = length;
    this.end = end;
    this.objectSize = objectSize;
    this.uri = uri;
  }

  @Override
  public int read(ByteBuffer target) throws IOException {
    int n = body.read(target);
    if (n > 0) {
      received += n;
    } else if (n < 0) {
      if (length >= 0 && received < length) {
        throw TransferException.retryable(
            "HTTP body of " + uri + " ended after " + received + " of " + length + " bytes", null);
      }
      if (objectSize >= 0 && end < objectSize) {
        throw TransferException.retryable(
            "HTTP server sent "
                + uri
                + " up to byte "
                + end
                + " of "
                + objectSize
                + "; asking for the rest",
            null);
      }
    }
    return n;
  }

  @Override
  public boolean isOpen() {
    return body.isOpen();
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
