package io.datapass.transfer.engine;
import io.datapass.transfer.storage.TransferException;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.storage.SinkRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Uploads one file with bounded retries on transient failures; each sink verifies what it stored. */
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

  public UploadResult upload(Path file, URI target) throws TransferException {
    long started = System.nanoTime();
    long bytes;
    try {
      bytes = Files.size(file);
    } catch (IOException e) {
      throw TransferException.permanent("cannot read " + file + ": " + e.getMessage(), e);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        Checksum checksum = sinks.sinkFor(target).upload(file, target);
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
}
