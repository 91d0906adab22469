package io.datapass.transfer.storage;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.checksum.Hasher;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * An upload of bytes made while they are sent (a zip built on the fly), with no local copy. They
 * are hashed as they pass; {@link #commit} ends the upload, has the storage's checksum of what it
 * stored compared with that one, and only then makes it the object under its final name. Closed
 * without a commit, or after a failed one, the upload is aborted: nothing appears under the final
 * name.
 *
 * <pre>{@code
 * try (UploadStream out = sink.openUpload(target, false)) {
 *   zip.writeTo(out);
 *   Checksum stored = out.commit();
 * } // a failure before the commit leaves nothing under target
 * }</pre>
 *
 * Not thread-safe: one producer writes, then commits or closes.
 */
public abstract class UploadStream extends OutputStream {
  private final ChecksumAlgorithm algorithm;
  private final Hasher hasher;
  private long bytes;
  private boolean ended;

  /**
   * @param algorithm the checksum the storage keeps, computed here while the bytes pass
   */
  protected UploadStream(ChecksumAlgorithm algorithm) {
    this.algorithm = algorithm;
    this.hasher = algorithm.newHasher();
  }

  @Override
  public final void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public final void write(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (ended) {
      throw new IOException("the upload has ended; nothing more can be written to it");
    }
    send(buffer, offset, length);
    hasher.update(buffer, offset, length);
    bytes += length;
  }

  /** The bytes written so far. */
  public final long bytes() {
    return bytes;
  }

  /**
   * Ends the upload: the storage's checksum is compared with the one of the bytes written, and the
   * object appears under its final name only if they match. Without replace, an object already
   * there fails it with {@link ObjectExistsException}. Any failure aborts the upload.
   *
   * @return the storage's checksum of the stored object
   */
  public final Checksum commit() throws IOException {
    if (ended) {
      throw new IOException("the upload has ended already");
    }
    ended = true;
    boolean committed = false;
    try {
      Checksum stored = finish(new Checksum(algorithm, hasher.hex()), bytes);
      committed = true;
      return stored;
    } finally {
      if (!committed) {
        discard();
      }
    }
  }

  /** Aborts the upload unless it was committed; never fails. */
  @Override
  public final void close() {
    if (!ended) {
      ended = true;
      discard();
    }
  }

  /** Sends bytes on; {@code buffer} may be reused once this returns. */
  protected abstract void send(byte[] buffer, int offset, int length) throws IOException;

  /**
   * Ends the upload, verifies what the storage stored against {@code written} and {@code bytes},
   * and places it under the final name.
   *
   * @return the storage's checksum, equal to {@code written}
   */
  protected abstract Checksum finish(Checksum written, long bytes) throws IOException;

  /**
   * Drops what was sent, so that nothing of it is left under the final name; never throws (the
   * failure that led here is the one to report).
   */
  protected abstract void discard();
}
