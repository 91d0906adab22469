package io.datapass.transfer.storage.xrootd;

import io.datapass.transfer.storage.DirectBuffers;
import io.datapass.xrootd.XrootdClient;
import io.datapass.xrootd.XrootdFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sequential reading of an open XRootD file with {@code window} kXR_read requests of {@code chunk}
 * bytes in flight, so the network never waits for the disk. The socket writes the data straight
 * into direct buffers, which are reused from file to file: memory is {@code min(window * chunk,
 * size)}. Read as a stream or as a channel.
 */
final class XrootdInputStream extends InputStream implements ReadableByteChannel {
  /** Idle buffers kept for the next file: as much as one file's default read-ahead (4 x 8 MiB). */
  private static final DirectBuffers BUFFERS = new DirectBuffers(32L << 20);

  private boolean open = true;
  private final XrootdFile file;
  private final long size;
  private final long timeoutSeconds;
  private final Deque<Chunk> inFlight = new ArrayDeque<>();
  private long nextOffset;
  private Chunk current;
  private boolean endReached;

  private static final class Chunk {
    final ByteBuffer buffer;
    CompletableFuture<Integer> read;
    int requested;

    Chunk(ByteBuffer buffer) {
      this.buffer = buffer;
    }
  }

  XrootdInputStream(
      XrootdFile file, long offset, long size, int chunk, int window, long timeoutSeconds) {
    this.file = file;
    this.size = size;
    this.nextOffset = offset;
    this.timeoutSeconds = timeoutSeconds;
    // a small file gets small buffers: memory is min(window * chunk, size), not window * chunk per
    // file
    long left = size >= 0 ? size - offset : Long.MAX_VALUE;
    int bufferSize = (int) Math.max(1, Math.min(chunk, left));
    for (int i = 0; i < window && (long) i * bufferSize < Math.max(left, 1); i++) {
      Chunk fresh = new Chunk(BUFFERS.take(bufferSize));
      if (!issue(fresh)) {
        BUFFERS.give(fresh.buffer);
        break;
      }
    }
  }

  /** Asks for the next piece of the file into the chunk's buffer; false at the end. */
  private boolean issue(Chunk chunk) {
    if (endReached || size >= 0 && nextOffset >= size) {
      return false;
    }
    int length =
        (int)
            (size >= 0
                ? Math.min(chunk.buffer.capacity(), size - nextOffset)
                : chunk.buffer.capacity());
    chunk.buffer.clear().limit(length);
    chunk.requested = length;
    chunk.read = file.read(nextOffset, chunk.buffer);
    nextOffset += length;
    inFlight.addLast(chunk);
    return true;
  }

  /**
   * The next chunk with data (between its buffer's position and limit), or null at the end of the
   * file.
   */
  private Chunk ready() throws IOException {
    while (current == null || !current.buffer.hasRemaining()) {
      if (current != null) {
        boolean wasShort =
            current.buffer.limit() < current.requested && (size < 0 || nextOffset < size);
        if (wasShort) {
          endReached = true;
        }
        if (!issue(current)) {
          BUFFERS.give(current.buffer);
        }
        current = null;
      }
      Chunk head = inFlight.pollFirst();
      if (head == null) {
        return null;
      }
      int length;
      try {
        length = await(head.read);
      } catch (IOException e) {
        inFlight.addFirst(head); // still the socket's until its answer: close() must not reuse it
        throw e;
      }
      head.buffer.position(0).limit(length);
      head.read = null;
      current = head;
      if (length == 0) {
        endReached = true;
        return null;
      }
    }
    return current;
  }

  private int await(CompletableFuture<Integer> read) throws IOException {
    try {
      return read.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("read of " + file.url() + " interrupted");
    } catch (TimeoutException e) {
      throw new IOException(
          "no data from " + file.server() + " for " + timeoutSeconds + " s reading " + file.url());
    } catch (ExecutionException e) {
      throw XrootdClient.unwrap(e.getCause(), "read " + file.url());
    }
  }

  @Override
  public int read() throws IOException {
    Chunk c = ready();
    return c == null ? -1 : c.buffer.get() & 0xFF;
  }

  @Override
  public int read(byte[] target, int offset, int length) throws IOException {
    Chunk c = ready();
    if (c == null) {
      return -1;
    }
    int n = Math.min(length, c.buffer.remaining());
    c.buffer.get(target, offset, n);
    return n;
  }

  @Override
  public int read(ByteBuffer target) throws IOException {
    Chunk c = ready();
    if (c == null) {
      return -1;
    }
    int n = Math.min(target.remaining(), c.buffer.remaining());
    int end = c.buffer.position() + n;
    target.put(c.buffer.slice(c.buffer.position(), n));
    c.buffer.position(end);
    return n;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /**
   * Closes without waiting for the server's answer (nothing depends on it for a file that was
   * read). Buffers whose reads have completed go back for reuse; the others stay the socket's and
   * are left to the garbage collector.
   */
  @Override
  public void close() {
    if (!open) {
      return;
    }
    open = false;
    file.closeAsync();
    if (current != null) {
      BUFFERS.give(current.buffer);
      current = null;
    }
    for (Chunk chunk : inFlight) {
      if (chunk.read != null && chunk.read.isDone()) {
        BUFFERS.give(chunk.buffer);
      }
    }
    inFlight.clear();
  }
}
