package io.datapass.transfer;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.source.ExistingObject;
import io.datapass.transfer.source.ObjectSink;
import io.datapass.transfer.source.SinkRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads one file with bounded retries on transient failures; each sink verifies what it stored. An upload that must
 * not replace looks at the target first: the same bytes already there (size and checksum) count as this upload, so
 * a rerun does not send them again; other bytes fail with {@link ObjectExistsException}.
 */
public final class Uploader {
  private static final Logger log = LoggerFactory.getLogger(Uploader.class);

  /** A stored, verified upload. */
  public record UploadResult(Path file, URI target, long bytes, Checksum checksum, Duration elapsed, int attempts) {}

  private final SinkRegistry sinks;
  private final RetryPolicy retryPolicy;

  public Uploader(SinkRegistry sinks, RetryPolicy retryPolicy) {
    this.sinks = sinks;
    this.retryPolicy = retryPolicy;
  }

  public UploadResult upload(Path file, URI target, boolean replace) throws TransferException {
    long started = System.nanoTime();
    long bytes;
    try {
      bytes = Files.size(file);
    } catch (IOException e) {
      throw TransferException.permanent("cannot read " + file + ": " + e.getMessage(), e);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        ObjectSink sink = sinks.sinkFor(target);
        Optional<ExistingObject> existing = replace ? Optional.empty() : sink.existing(target);
        if (existing.isPresent()) {
          return alreadyStored(file, target, bytes, existing.get(), started, attempt);
        }
        Checksum checksum = sink.upload(file, target, replace);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        log.info("{}: {} uploaded to {} in {} ({})", file, Sizes.bytes(bytes), target, Sizes.duration(elapsed),
            checksum);
        return new UploadResult(file, target, bytes, checksum, elapsed, attempt);
      } catch (IOException e) {
        if (!TransferException.isRetryable(e) || attempt > retryPolicy.retries()) {
          throw e instanceof TransferException te && !te.isRetryable() ? te
              : TransferException.permanent("gave up uploading " + file + " to " + target + " after " + attempt
                  + " attempts: " + e.getMessage(), e);
        }
        Duration wait = retryPolicy.delayBefore(attempt);
        log.warn("{}: {}; retry {} of {} in {} ms", target, e.getMessage(), attempt, retryPolicy.retries(),
            wait.toMillis());
        retryPolicy.waitBefore(wait, "uploading " + file);
      }
    }
  }

  private static UploadResult alreadyStored(Path file, URI target, long bytes, ExistingObject existing, long started,
      int attempt) throws IOException {
    Checksum local = existing.checksum().algorithm().of(file);
    if (existing.bytes() != bytes || !existing.checksum().equals(local)) {
      throw new ObjectExistsException(target, target + " already exists with other content (" + existing
          + "; this upload: " + bytes + " bytes, " + local + "); not replaced");
    }
    log.info("{}: already stored at {} with the same content ({}); not sent again", file, target, local);
    return new UploadResult(file, target, bytes, local, Duration.ofNanos(System.nanoTime() - started), attempt);
  }
}
