package io.datapass.transfer.storage;

import io.datapass.transfer.checksum.Checksum;

/**
 * An object already stored where an upload goes: its size and the checksum the storage keeps for
 * it.
 */
public record ExistingObject(long bytes, Checksum checksum) {

  @Override
  public String toString() {
    return bytes + " bytes, " + checksum;
  }
}
