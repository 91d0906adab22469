package io.datapass.transfer.storage.xrootd;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.UploadStream;
import io.datapass.xrootd.XrootdException;
import io.datapass.xrootd.XrootdFile;
import io.datapass.xrootd.XrootdUrl;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * A streamed upload to {@code root://}, as {@link XrootdSink} uploads a file: written in {@code
 * chunk}-sized writes, {@code window} of them awaiting the server's answer, to a hidden temporary
 * name; closed, the server's adler32 compared with the one of what was written, then renamed.
 */
final class XrootdUploadStream extends UploadStream {
  private final XrootdSink sink;
  private final XrootdFile out;
  private final XrootdUrl url;
  private final URI target;
  private final boolean replace;
  private final int window;
  private final byte[] chunk;
  private final Deque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
  private final long started = System.nanoTime();
  private int filled;
  private long offset;

  XrootdUploadStream(
      XrootdSink sink,
      XrootdFile out,
      XrootdUrl url,
      URI target,
      boolean replace,
      int chunk,
      int window) {
    super(ChecksumAlgorithm.ADLER32);
    this.sink = sink;
    this.out = out;
    this.url = url;
    this.target = target;
    this.replace = replace;
    this.window = window;
    this.chunk = new byte[chunk];
  }

  @Override
  protected void send(byte[] buffer, int from, int length) throws IOException {
    while (length > 0) {
      int taken = Math.min(length, chunk.length - filled);
      System.arraycopy(buffer, from, chunk, filled, taken);
      filled += taken;
      from += taken;
      length -= taken;
      if (filled == chunk.length) {
        sendChunk();
      }
    }
  }

  /** Sends the buffered bytes; the write goes out on this thread, so the buffer is free after. */
  private void sendChunk() throws IOException {
    try {
      if (inFlight.size() >= window) {
        XrootdSink.join(inFlight.removeFirst(), out.url());
      }
      inFlight.addLast(out.write(offset, chunk, 0, filled));
    } catch (XrootdException e) {
      throw XrootdSource.classify(e);
    }
    offset += filled;
    filled = 0;
  }

  @Override
  protected Checksum finish(Checksum written, long bytes) throws IOException {
    try {
      if (filled > 0) {
        sendChunk();
      }
      while (!inFlight.isEmpty()) {
        XrootdSink.join(inFlight.removeFirst(), out.url());
      }
      out.close(); // success means the server has every byte
      sink.placeVerified(out.url(), url, target, "a stream", written.hex(), started, replace);
      return written;
    } catch (XrootdException e) {
      throw XrootdSource.classify(e);
    }
  }

  @Override
  protected void discard() {
    try {
      out.close();
    } catch (IOException ignored) {
      // the server drops the handle with the connection; the name is removed next
    }
    sink.removeQuietly(out.url());
  }
}
