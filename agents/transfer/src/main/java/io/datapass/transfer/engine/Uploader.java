package io.datapass.transfer.engine;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.storage.ExistingObject;
import io.datapass.transfer.storage.LocalFiles;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.ObjectSink;
import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.storage.Sizes;
import io.datapass.transfer.storage.TransferException;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads one file, retried by a {@link Retrier} on transient failures; each sink verifies what it
 * stored. An upload that must not replace looks at the target first: the same bytes already there
 * (size and checksum) count as this upload, so a rerun does not send them again; other bytes fail
 * with {@link ObjectExistsException}. {@link #replaceOwn} replaces only the object the caller
 * stored itself.
 */
public final class Uploader {
  private static final Logger log = LoggerFactory.getLogger(Uploader.class);

  /**
   * A stored, verified upload; {@code alreadyStored} when the same bytes were found there and not
   * sent again.
   *
   * @param generation the storage's number for this write of the object (GCS), else null
   */
  public record UploadResult(
      Path file,
      URI target,
      long bytes,
      Checksum checksum,
      Duration elapsed,
      int attempts,
      boolean alreadyStored,
      Long generation) {

    /** The stored object as {@link #replaceOwn} expects to find it again. */
    public ExistingObject stored() {
      return new ExistingObject(bytes, checksum, generation);
    }
  }

  private final SinkRegistry sinks;
  private final Retrier retrier;

  public Uploader(SinkRegistry sinks, RetryPolicy retryPolicy) {
    this(sinks, new Retrier(retryPolicy));
  }

  public Uploader(SinkRegistry sinks, Retrier retrier) {
    this.sinks = sinks;
    this.retrier = retrier;
  }

  /**
   * @param replace whether an object already stored under {@code target} with other bytes may be
   *     replaced
   */
  public UploadResult upload(Path file, URI target, boolean replace) throws TransferException {
    return attempt(
        file,
        target,
        (sink, bytes) -> {
          if (replace) {
            return new Stored(new ExistingObject(bytes, sink.upload(file, target, true)), true);
          }
          Optional<ExistingObject> existing = sink.existing(target);
          if (existing.isPresent()) {
            return new Stored(sameContent(file, target, bytes, existing.get()), false);
          }
          return new Stored(sink.uploadReplacing(file, target, null), true);
        });
  }

  /**
   * Uploads {@code file} in place of {@code own}, the object the caller stored at {@code target}
   * earlier (as {@link UploadResult#stored} described it): only while {@code target} still holds
   * that object (its generation where the storage keeps one, else its size and checksum), checked
   * again by the sink at the moment of the replacement. An object replaced by someone else
   * meanwhile fails with {@link ObjectExistsException} and is kept; where nothing is stored any
   * more the file is stored anew (nothing is replaced); the file's own bytes already there are not
   * sent again.
   */
  public UploadResult replaceOwn(Path file, URI target, ExistingObject own)
      throws TransferException {
    return attempt(
        file,
        target,
        (sink, bytes) -> {
          Optional<ExistingObject> existing = sink.existing(target);
          if (existing.isEmpty()) {
            return new Stored(sink.uploadReplacing(file, target, null), true);
          }
          if (holdsBytesOf(file, bytes, existing.get())) {
            return new Stored(existing.get(), false); // unchanged, or an earlier attempt stored it
          }
          if (!existing.get().isSameObject(own)) {
            throw new ObjectExistsException(
                target,
                target
                    + " was replaced by someone else since it was stored (now "
                    + existing.get()
                    + "; stored then "
                    + own
                    + "); not replaced");
          }
          // the generation seen now where the caller has none: the sink's precondition then holds
          // the object to what was just compared
          ExistingObject expected = own.generation() != null ? own : existing.get();
          return new Stored(sink.uploadReplacing(file, target, expected), true);
        });
  }

  /**
   * Deletes {@code own}, the object the caller stored at {@code target} earlier, only while {@code
   * target} still holds it; nothing there is no failure.
   *
   * @throws ObjectExistsException the object was replaced by someone else since, and is kept
   */
  public void deleteOwn(URI target, ExistingObject own) throws TransferException {
    try {
      retrier.call(
          "deleting " + target,
          () -> {
            sinks.sinkFor(target).deleteIfHolds(target, own);
            return null;
          });
    } catch (TransferException e) {
      throw e;
    } catch (IOException e) {
      throw TransferException.permanent("deleting " + target + ": " + Retrier.describe(e), e);
    }
  }

  /** What one attempt found or stored, and whether it sent the bytes. */
  private record Stored(ExistingObject object, boolean sent) {}

  private interface Attempt {
    Stored run(ObjectSink sink, long bytes) throws IOException;
  }

  private UploadResult attempt(Path file, URI target, Attempt attempt) throws TransferException {
    long started = System.nanoTime();
    long bytes;
    try {
      bytes = LocalFiles.size(file);
    } catch (TransferException e) {
      throw e;
    } catch (IOException e) {
      throw TransferException.permanent("cannot read " + file + ": " + e.getMessage(), e);
    }
    int[] attempts = {0};
    boolean[] sent = {false};
    Stored stored;
    try {
      stored =
          retrier.call(
              "uploading " + file + " to " + target,
              () -> {
                attempts[0]++;
                Stored done = attempt.run(sinks.sinkFor(target), bytes);
                sent[0] |= done.sent();
                return done;
              });
    } catch (TransferException e) {
      throw e;
    } catch (IOException e) {
      throw TransferException.permanent(
          "uploading " + file + " to " + target + ": " + Retrier.describe(e), e);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    ExistingObject object = stored.object();
    if (sent[0]) {
      log.info(
          "{}: {} uploaded to {} in {} ({})",
          file,
          Sizes.bytes(object.bytes()), // what the storage holds, whatever the file measured before
          target,
          Sizes.duration(elapsed),
          object.checksum());
    } else {
      log.info(
          "{}: already stored at {} with the same content ({}); not sent again",
          file,
          target,
          object.checksum());
    }
    return new UploadResult(
        file,
        target,
        object.bytes(),
        object.checksum(),
        elapsed,
        attempts[0],
        !sent[0],
        object.generation());
  }

  /** Whether {@code existing} holds the bytes {@code file} holds now. */
  private static boolean holdsBytesOf(Path file, long bytes, ExistingObject existing)
      throws IOException {
    if (existing.bytes() != bytes) {
      return false;
    }
    try (FileChannel in = LocalFiles.openToRead(file)) {
      return existing.checksum().equals(existing.checksum().algorithm().of(in));
    }
  }

  /** The object there, when it holds this file's bytes; else the object is someone else's. */
  private static ExistingObject sameContent(
      Path file, URI target, long bytes, ExistingObject existing) throws IOException {
    Checksum local;
    try (FileChannel in = LocalFiles.openToRead(file)) {
      local = existing.checksum().algorithm().of(in);
    }
    if (existing.bytes() != bytes || !existing.checksum().equals(local)) {
      throw new ObjectExistsException(
          target,
          target
              + " already exists with other content ("
              + existing
              + "; this upload: "
              + bytes
              + " bytes, "
              + local
              + "); not replaced");
    }
    return existing;
  }
}
