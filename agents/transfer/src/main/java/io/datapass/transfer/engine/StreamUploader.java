package io.datapass.transfer.engine;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.checksum.Hasher;
import io.datapass.transfer.storage.ExistingObject;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.ObjectSink;
import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.storage.Sizes;
import io.datapass.transfer.storage.UploadStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads bytes made while they are sent (a zip of a directory), with no local copy: the {@link
 * Uploader} of {@link ObjectSink#openUpload} streams. A {@link Retrier} retries transient failures,
 * each attempt making the bytes again, so they must come out the same every time. An upload that
 * must not replace looks at the target first: the same bytes already there (size and checksum,
 * found by making the bytes once more without sending them) count as this upload; other bytes fail
 * with {@link ObjectExistsException}.
 */
public final class StreamUploader {
  private static final Logger log = LoggerFactory.getLogger(StreamUploader.class);

  /** Writes are gathered to this size before they are hashed (when not sent). */
  private static final int BUFFER = 1 << 20;

  /**
   * Pieces of 1 MiB made while the storage is busy sending (GCS: while a 16 MiB chunk goes out), so
   * that making the bytes and sending them overlap; 8 MiB of heap.
   */
  private static final int PIECES_WAITING = 8;

  /** Writes the bytes to upload to {@code out}, which it must not close; once per attempt. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * A stored, verified upload; {@code alreadyStored} when the same bytes were found there and not
   * sent again.
   */
  public record StreamResult(
      URI target,
      long bytes,
      Checksum checksum,
      Duration elapsed,
      int attempts,
      boolean alreadyStored) {}

  private final SinkRegistry sinks;
  private final Retrier retrier;

  public StreamUploader(SinkRegistry sinks, RetryPolicy retryPolicy) {
    this.sinks = sinks;
    this.retrier = new Retrier(retryPolicy);
  }

  /**
   * @param what the bytes, for log lines and errors ("the zip of /output")
   * @param replace whether an object already stored under {@code target} with other bytes may be
   *     replaced
   */
  public StreamResult upload(Content content, URI target, boolean replace, String what)
      throws IOException {
    long started = System.nanoTime();
    int[] attempts = {0};
    StreamResult[] result = {null};
    retrier.call(
        "uploading " + what + " to " + target,
        () -> {
          attempts[0]++;
          ObjectSink sink = sinks.sinkFor(target);
          Optional<ExistingObject> existing = replace ? Optional.empty() : sink.existing(target);
          result[0] =
              existing.isPresent()
                  ? sameContent(content, target, what, existing.get())
                  : send(sink, content, target, replace);
          return result[0];
        });
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    StreamResult done = result[0];
    if (done.alreadyStored()) {
      log.info(
          "{}: already stored at {} with the same content ({}); not sent again",
          what,
          target,
          done.checksum());
    } else {
      log.info(
          "{}: {} streamed to {} in {} ({})",
          what,
          Sizes.bytes(done.bytes()),
          target,
          Sizes.duration(elapsed),
          done.checksum());
    }
    return new StreamResult(
        target, done.bytes(), done.checksum(), elapsed, attempts[0], done.alreadyStored());
  }

  /**
   * Makes and sends the bytes; the storage's sends (and hashing) run on a thread of their own while
   * the bytes are made.
   */
  private static StreamResult send(ObjectSink sink, Content content, URI target, boolean replace)
      throws IOException {
    try (UploadStream upload = sink.openUpload(target, replace)) {
      HandOff out = new HandOff(upload, PIECES_WAITING);
      boolean sent = false;
      try {
        content.writeTo(out);
        out.finish();
        sent = true;
      } finally {
        if (!sent) {
          out.abort(); // the upload stream is the sender's until it stops
        }
      }
      Checksum stored = upload.commit();
      return new StreamResult(target, upload.bytes(), stored, null, 0, false);
    }
  }

  /**
   * The checksum of what is stored, when it holds the bytes {@code content} makes; else the object
   * is someone else's.
   */
  private static StreamResult sameContent(
      Content content, URI target, String what, ExistingObject existing) throws IOException {
    ChecksumAlgorithm algorithm = existing.checksum().algorithm();
    Hasher hasher = algorithm.newHasher();
    long[] bytes = {0};
    OutputStream counting =
        new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] buffer, int offset, int length) {
            hasher.update(buffer, offset, length);
            bytes[0] += length;
          }
        };
    OutputStream out = new Gathering(counting);
    content.writeTo(out);
    out.flush();
    Checksum local = new Checksum(algorithm, hasher.hex());
    if (existing.bytes() != bytes[0] || !existing.checksum().equals(local)) {
      throw new ObjectExistsException(
          target,
          target
              + " already exists with other content ("
              + existing
              + "; this upload of "
              + what
              + ": "
              + bytes[0]
              + " bytes, "
              + local
              + "); not replaced");
    }
    return new StreamResult(target, bytes[0], local, null, 0, true);
  }

  /** Gathers small writes (a zip's headers) into large ones; closing it only flushes. */
  private static final class Gathering extends java.io.BufferedOutputStream {
    Gathering(OutputStream out) {
      super(out, BUFFER);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
