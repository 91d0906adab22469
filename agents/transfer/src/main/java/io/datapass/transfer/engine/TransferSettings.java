package io.datapass.transfer.engine;

import java.time.Duration;

/**
 * How the engine behaves, independent of the scheme.
 *
 * @param progressInterval how often a running transfer logs its progress
 * @param stallTimeout a read that brings no byte for this long is aborted and retried
 * @param fsync flush each file to stable storage before renaming it to its final name. Off by
 *     default, as in curl, xrdcp and gsutil: the rename already keeps partial data from a final
 *     name, and the downloader re-verifies or refetches everything whenever it runs again, as it
 *     does on every pod restart.
 */
public record TransferSettings(
    RetryPolicy retryPolicy,
    Duration progressInterval,
    Duration stallTimeout,
    int bufferSize,
    boolean fsync) {

  public static TransferSettings defaults() {
    return new TransferSettings(
        RetryPolicy.standard(5), Duration.ofSeconds(10), Duration.ofSeconds(120), 1 << 20, false);
  }

  public TransferSettings withFsync(boolean flush) {
    return new TransferSettings(retryPolicy, progressInterval, stallTimeout, bufferSize, flush);
  }

  public TransferSettings withRetryPolicy(RetryPolicy policy) {
    return new TransferSettings(policy, progressInterval, stallTimeout, bufferSize, fsync);
  }

  public TransferSettings withProgressInterval(Duration interval) {
    return new TransferSettings(retryPolicy, interval, stallTimeout, bufferSize, fsync);
  }

  public TransferSettings withStallTimeout(Duration timeout) {
    return new TransferSettings(retryPolicy, progressInterval, timeout, bufferSize, fsync);
  }
}
