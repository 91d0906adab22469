package io.datapass.transfer.source;

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
 * Sequential reading of an open XRootD file with {@code window} kXR_read requests of {@code chunk} bytes in flight,
 * so the network never waits for the disk. Buffers are reused: memory is {@code window * chunk}. Read as a stream
 * or as a channel.
 */
final class XrootdInputStream extends InputStream implements ReadableByteChannel {
  private boolean open = true;
  private final XrootdFile file;
  private final long size;
  private final long timeoutSeconds;
  private final Deque<Chunk> inFlight = new ArrayDeque<>();
  private long nextOffset;
  private Chunk current;
  private boolean endReached;

  private static final class Chunk {
    final byte[] buffer;
    CompletableFuture<Integer> read;
    int length;
    int position;

    Chunk(int size) {
      buffer = new byte[size];
    }
  }

  XrootdInputStream(XrootdFile file, long offset, long size, int chunk, int window, long timeoutSeconds) {
    this.file = file;
    this.size = size;
    this.nextOffset = offset;
    this.timeoutSeconds = timeoutSeconds;
    // a small file gets small buffers: memory is min(window * chunk, size), not window * chunk per file
    long left = size >= 0 ? size - offset : Long.MAX_VALUE;
    int bufferSize = (int) Math.max(1, Math.min(chunk, left));
    for (int i = 0; i < window && (long) i * bufferSize < Math.max(left, 1); i++) {
      if (!issue(new Chunk(bufferSize))) {
        break;
      }
    }
  }

  private boolean issue(Chunk chunk) {
    if (endReached || size >= 0 && nextOffset >= size) {
      return false;
    }
    int length = (int) (size >= 0 ? Math.min(chunk.buffer.length, size - nextOffset) : chunk.buffer.length);
    chunk.read = file.read(nextOffset, chunk.buffer, 0, length);
    chunk.position = 0;
    nextOffset += length;
    inFlight.addLast(chunk);
    return true;
  }

  /** The next chunk with data, or null at the end of the file. */
  private Chunk ready() throws IOException {
    while (current == null || current.position >= current.length) {
      if (current != null) {
        boolean wasShort = current.length < current.buffer.length && (size < 0 || nextOffset < size);
        if (wasShort) {
          endReached = true;
        }
        issue(current);
        current = null;
      }
      Chunk head = inFlight.pollFirst();
      if (head == null) {
        return null;
      }
      head.length = await(head.read);
      current = head;
      if (head.length == 0) {
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
      throw new IOException("no data from " + file.server() + " for " + timeoutSeconds + " s reading " + file.url());
    } catch (ExecutionException e) {
      throw XrootdClient.unwrap(e.getCause(), "read " + file.url());
    }
  }

  @Override
  public int read() throws IOException {
    Chunk c = ready();
    return c == null ? -1 : c.buffer[c.position++] & 0xFF;
  }

  @Override
  public int read(byte[] target, int offset, int length) throws IOException {
    Chunk c = ready();
    if (c == null) {
      return -1;
    }
    int n = Math.min(length, c.length - c.position);
    System.arraycopy(c.buffer, c.position, target, offset, n);
    c.position += n;
    return n;
  }

  @Override
  public int read(ByteBuffer target) throws IOException {
    Chunk c = ready();
    if (c == null) {
      return -1;
    }
    int n = Math.min(target.remaining(), c.length - c.position);
    target.put(c.buffer, c.position, n);
    c.position += n;
    return n;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    open = false;
    try {
      file.close();
    } catch (IOException ignored) {
      // the connection may be gone; the server drops the handle with it
    }
  }
}
