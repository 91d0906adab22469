package io.datapass.xrootd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;

/**
 * An open file. Reads and writes may be issued without waiting (they are pipelined on the
 * connection where the open succeeded); each returns a future. A write's data must stay untouched
 * until its future completes, and so must a read's target buffer.
 */
public final class XrootdFile implements AutoCloseable {
  private final XrootdClient client;
  private final Connection connection;
  private final byte[] handle;
  private final XrootdUrl url;
  private final StatInfo openStat;
  private boolean closed;

  XrootdFile(
      XrootdClient client, Connection connection, byte[] handle, XrootdUrl url, StatInfo openStat) {
    this.client = client;
    this.connection = connection;
    this.handle = handle;
    this.url = url;
    this.openStat = openStat;
  }

  /** The stat returned with the open (kXR_retstat), or null when the server sent none. */
  public StatInfo openStat() {
    return openStat;
  }

  public XrootdUrl url() {
    return url;
  }

  /** The server the file is open on (after redirects). */
  public String server() {
    return connection.address();
  }

  /**
   * Reads up to {@code length} bytes at {@code offset} into {@code target}; completes with the
   * count (short at EOF).
   */
  public CompletableFuture<Integer> read(long offset, byte[] target, int targetOffset, int length) {
    return read(offset, ByteBuffer.wrap(target, targetOffset, length));
  }

  /**
   * Reads up to {@code target.remaining()} bytes at {@code offset} into {@code target} from its
   * position; completes with the count (short at EOF). The buffer's position and limit are not
   * changed.
   */
  public CompletableFuture<Integer> read(long offset, ByteBuffer target) {
    Request request =
        new Request(Protocol.READ)
            .putBytes(0, handle)
            .putLong(4, offset)
            .putInt(12, target.remaining());
    return client
        .checked(connection.send(request, target), "read " + url)
        .thenApply(Response::length);
  }

  public CompletableFuture<Void> write(long offset, byte[] data, int dataOffset, int length) {
    return write(offset, new Request(Protocol.WRITE).data(data, dataOffset, length));
  }

  /**
   * Writes {@code length} bytes of {@code source} from {@code position} at {@code offset}, straight
   * from the page cache to the socket (sendfile); the caller's thread sends them before this
   * returns.
   */
  public CompletableFuture<Void> write(long offset, FileChannel source, long position, int length) {
    return write(offset, new Request(Protocol.WRITE).data(source, position, length));
  }

  private CompletableFuture<Void> write(long offset, Request request) {
    request.putBytes(0, handle).putLong(4, offset);
    return client.checked(connection.send(request), "write " + url).thenApply(r -> null);
  }

  /**
   * Reads several ranges in one request (kXR_readv); each range must lie inside the file. Completes
   * with the ranges' data laid out one after another in {@code target}.
   */
  public CompletableFuture<Integer> readv(long[] offsets, int[] lengths, byte[] target) {
    byte[] list = new byte[16 * offsets.length];
    ByteBuffer elements = ByteBuffer.wrap(list);
    int total = 0;
    for (int i = 0; i < offsets.length; i++) {
      elements.put(handle).putInt(lengths[i]).putLong(offsets[i]);
      total += 16 + lengths[i];
    }
    byte[] raw = new byte[total];
    return client
        .checked(
            connection.send(new Request(Protocol.READV).data(list), ByteBuffer.wrap(raw)),
            "readv " + url)
        .thenApply(
            response -> {
              ByteBuffer reply = ByteBuffer.wrap(raw, 0, response.length());
              int written = 0;
              while (reply.remaining() >= 16) {
                reply.position(reply.position() + 4);
                int length = reply.getInt();
                reply.getLong();
                reply.get(target, written, length);
                written += length;
              }
              return written;
            });
  }

  public StatInfo stat() throws IOException {
    Request request = new Request(Protocol.STAT).putBytes(12, handle);
    return StatInfo.parse(client.await(connection.send(request), "stat " + url).text());
  }

  public void sync() throws IOException {
    client.await(connection.send(new Request(Protocol.SYNC).putBytes(0, handle)), "sync " + url);
  }

  /** Closes the file; for a written file, success means the server has it all. */
  @Override
  public void close() throws IOException {
    client.await(sendClose(), "close " + url);
  }

  /**
   * Sends the close without waiting for its answer: for a file that was only read, nothing depends
   * on it (the connection keeps the order of requests, and a dropped connection closes the handle
   * on the server).
   */
  public CompletableFuture<Void> closeAsync() {
    return client.checked(sendClose(), "close " + url).thenApply(r -> null);
  }

  private CompletableFuture<Response> sendClose() {
    if (closed) {
      return CompletableFuture.completedFuture(new Response(Protocol.OK, new byte[0], 0));
    }
    closed = true;
    return connection.send(new Request(Protocol.CLOSE).putBytes(0, handle));
  }
}
