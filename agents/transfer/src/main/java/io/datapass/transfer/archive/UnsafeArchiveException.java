package io.datapass.transfer.archive;

import io.datapass.transfer.storage.TransferException;

/**
 * An archive that would write outside its target, hold special files, or expand beyond the limits.
 */
public final class UnsafeArchiveException extends TransferException {
  public UnsafeArchiveException(String archive, String reason) {
    super("unsafe archive " + archive + ": " + reason, false, null);
  }
}
