package io.datapass.transfer.storage;

import java.io.IOException;

/**
 * A transfer failure that knows whether trying again may help.
 *
 * <p>Retryable failures are the transient ones (connection reset, timeout, HTTP 429 and 5xx);
 * everything else (missing object, access denied, checksum mismatch, unsafe archive, a full disk)
 * is final.
 */
public class TransferException extends IOException {
  private final boolean retryable;

  public TransferException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public static TransferException permanent(String message) {
    return new TransferException(message, false, null);
  }

  public static TransferException permanent(String message, Throwable cause) {
    return new TransferException(message, false, cause);
  }

  public static TransferException retryable(String message, Throwable cause) {
    return new TransferException(message, true, cause);
  }

  public boolean isRetryable() {
    return retryable;
  }

  /**
   * True for failures worth another attempt: any I/O error that is not a final transfer error, nor
   * a full disk or an exhausted quota (which another attempt only fills again).
   */
  public static boolean isRetryable(Throwable failure) {
    if (failure instanceof TransferException te) {
      return te.isRetryable();
    }
    return failure instanceof IOException && !DiskSpace.isOutOfSpace(failure);
  }
}
