package io.datapass.transfer.engine;
import io.datapass.transfer.storage.Sizes;
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

/** Uploads one file, retried by a {@link Retrier} on transient failures; each sink verifies what it stored. */
public final class Uploader {
  private static final Logger log = LoggerFactory.getLogger(Uploader.class);

  /** A stored, verified upload. */
  public record UploadResult(Path file, URI target, long bytes, Checksum checksum, Duration elapsed, int attempts) {}

  private final SinkRegistry sinks;
  private final Retrier retrier;

  public Uploader(SinkRegistry sinks, RetryPolicy retryPolicy) {
    this(sinks, new Retrier(retryPolicy));
  }

  public Uploader(SinkRegistry sinks, Retrier retrier) {
    this.sinks = sinks;
    this.retrier = retrier;
  }

  public UploadResult upload(Path file, URI target) throws TransferException {
    long started = System.nanoTime();
    long bytes;
    try {
      bytes = Files.size(file);
    } catch (IOException e) {
      throw TransferException.permanent("cannot read " + file + ": " + e.getMessage(), e);
    }
    int[] attempts = {0};
    Checksum checksum;
    try {
      checksum = retrier.call("uploading " + file + " to " + target, () -> {
        attempts[0]++;
        return sinks.sinkFor(target).upload(file, target);
      });
    } catch (TransferException e) {
      throw e;
    } catch (IOException e) {
      throw TransferException.permanent("uploading " + file + " to " + target + ": " + Retrier.describe(e), e);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    log.info("{}: {} uploaded to {} in {} ({})", file, Sizes.bytes(bytes), target, Sizes.duration(elapsed), checksum);
    return new UploadResult(file, target, bytes, checksum, elapsed, attempts[0]);
  }
}
