package io.datapass.transfer;

import java.time.Duration;

/**
 * How the engine behaves, independent of the scheme.
 *
 * @param progressInterval how often a running transfer logs its progress
 * @param stallTimeout a read that brings no byte for this long is aborted and retried
 */
public record TransferSettings(
    RetryPolicy retryPolicy, Duration progressInterval, Duration stallTimeout, int bufferSize) {

  public static TransferSettings defaults() {
    return new TransferSettings(RetryPolicy.standard(5), Duration.ofSeconds(10), Duration.ofSeconds(120), 1 << 20);
  }

  public TransferSettings withRetryPolicy(RetryPolicy policy) {
    return new TransferSettings(policy, progressInterval, stallTimeout, bufferSize);
  }

  public TransferSettings withProgressInterval(Duration interval) {
    return new TransferSettings(retryPolicy, interval, stallTimeout, bufferSize);
  }

  public TransferSettings withStallTimeout(Duration timeout) {
    return new TransferSettings(retryPolicy, progressInterval, timeout, bufferSize);
  }
}
