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
 * with {@link ObjectExistsException}.
 */
public final class Uploader {
  private static final Logger log = LoggerFactory.getLogger(Uploader.class);

  /**
   * A stored, verified upload; {@code alreadyStored} when the same bytes were found there and not
   * sent again.
   */
  public record UploadResult(
      Path file,
      URI target,
      long bytes,
      Checksum checksum,
      Duration elapsed,
      int attempts,
      boolean alreadyStored) {}

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
    Checksum[] stored = {null};
    boolean[] sent = {false};
    try {
      retrier.call(
          "uploading " + file + " to " + target,
          () -> {
            attempts[0]++;
            ObjectSink sink = sinks.sinkFor(target);
            Optional<ExistingObject> existing = replace ? Optional.empty() : sink.existing(target);
            if (existing.isPresent()) {
              stored[0] = sameContent(file, target, bytes, existing.get());
            } else {
              stored[0] = sink.upload(file, target, replace);
              sent[0] = true;
            }
            return stored[0];
          });
    } catch (TransferException e) {
      throw e;
    } catch (IOException e) {
      throw TransferException.permanent(
          "uploading " + file + " to " + target + ": " + Retrier.describe(e), e);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    if (sent[0]) {
      log.info(
          "{}: {} uploaded to {} in {} ({})",
          file,
          Sizes.bytes(bytes),
          target,
          Sizes.duration(elapsed),
          stored[0]);
    } else {
      log.info(
          "{}: already stored at {} with the same content ({}); not sent again",
          file,
          target,
          stored[0]);
    }
    return new UploadResult(file, target, bytes, stored[0], elapsed, attempts[0], !sent[0]);
  }

  /**
   * The checksum of what is stored, when it holds this file's bytes; else the object is someone
   * else's.
   */
  private static Checksum sameContent(Path file, URI target, long bytes, ExistingObject existing)
      throws IOException {
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
    return local;
  }
}
