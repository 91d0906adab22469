package io.datapass.transfer.storage;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A checksum the server is still computing when the read starts (XRootD computes adler32 on
 * request, reading the whole file): the engine hashes with {@code likely} while the bytes flow and
 * awaits the answer afterwards, so the server's pass and the transfer overlap instead of adding up.
 *
 * @param answer the server's checksum, or empty when it keeps none
 */
public record PendingChecksum(
    ChecksumAlgorithm likely, CompletableFuture<Optional<Checksum>> answer) {
  private static final Duration WAIT = Duration.ofMinutes(10);

  /** The server's answer, waiting for it at most ten minutes. */
  public Optional<Checksum> await() throws IOException {
    try {
      return answer.get(WAIT.toMinutes(), TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the server's checksum");
    } catch (TimeoutException e) {
      throw TransferException.retryable(
          "no checksum from the server within " + WAIT.toMinutes() + " minutes", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("checksum query failed: " + e.getCause(), e.getCause());
    }
  }
}
