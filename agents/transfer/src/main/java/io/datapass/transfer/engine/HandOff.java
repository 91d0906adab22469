package io.datapass.transfer.engine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Carries what a producer writes on to {@code target} from a thread of its own, so that making the
 * bytes (zipping) goes on while the target blocks in a send (a 16 MiB chunk of a GCS resumable
 * upload) and hashes: up to {@code pieces} pieces of 1 MiB wait in between. A failure of the
 * target's reaches the producer at its next write; {@link #abort} stops the sender when the
 * producer fails.
 */
final class HandOff extends OutputStream {
  private static final int PIECE = 1 << 20;

  /** How long {@link #abort} waits for a send in progress to end before it gives up on it. */
  private static final long ABORT_WAIT_MILLIS = 60_000;

  private record Piece(byte[] bytes, int length) {}

  private static final Piece END = new Piece(new byte[0], 0);

  private final BlockingQueue<Piece> full;
  private final BlockingQueue<byte[]> free;
  private final Thread sender;
  private volatile Throwable failure;
  private byte[] current;
  private int filled;
  private boolean ended;

  HandOff(OutputStream target, int pieces) {
    full = new ArrayBlockingQueue<>(pieces + 1); // every piece and the end fit: adding never waits
    free = new ArrayBlockingQueue<>(pieces);
    for (int i = 1; i < pieces; i++) {
      free.add(new byte[PIECE]);
    }
    current = new byte[PIECE];
    sender = new Thread(() -> send(target), "upload-sender");
    sender.setDaemon(true);
    sender.start();
  }

  private void send(OutputStream target) {
    try {
      for (Piece piece = full.take(); piece != END; piece = full.take()) {
        target.write(piece.bytes(), 0, piece.length());
        free.add(piece.bytes());
      }
    } catch (Throwable e) { // the producer rethrows it
      failure = e;
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] buffer, int offset, int length) throws IOException {
    if (ended) {
      throw new IOException("the upload has ended; nothing more can be written to it");
    }
    while (length > 0) {
      int taken = Math.min(length, PIECE - filled);
      System.arraycopy(buffer, offset, current, filled, taken);
      filled += taken;
      offset += taken;
      length -= taken;
      if (filled == PIECE) {
        full.add(new Piece(current, filled));
        current = nextFree();
        filled = 0;
      }
    }
  }

  /** A piece the sender has written, once there is one; the sender's failure if it stopped. */
  private byte[] nextFree() throws IOException {
    try {
      while (true) {
        rethrow();
        byte[] piece = free.poll(100, TimeUnit.MILLISECONDS);
        if (piece != null) {
          return piece;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while handing bytes to the upload");
    }
  }

  /** Sends what is left and waits until the target has every byte; its failure if any. */
  void finish() throws IOException {
    ended = true;
    if (filled > 0) {
      full.add(new Piece(current, filled));
    }
    full.add(END);
    try {
      sender.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the upload was sent");
    }
    rethrow();
  }

  /**
   * Drops what waits and lets the sender stop after the send in progress (it is not interrupted: an
   * interrupt closes a socket channel that other transfers may share), waiting at most a minute.
   */
  void abort() {
    ended = true;
    full.clear();
    full.add(END);
    try {
      sender.join(ABORT_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void rethrow() throws IOException {
    Throwable e = failure;
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (e instanceof Error error) {
      throw error;
    }
    if (e != null) {
      throw new IOException("sending the upload failed: " + e, e);
    }
  }
}
