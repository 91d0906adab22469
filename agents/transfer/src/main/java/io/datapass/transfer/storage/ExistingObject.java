package io.datapass.transfer.storage;

import io.datapass.transfer.checksum.Checksum;

/**
 * An object stored where an upload goes: its size, the checksum the storage keeps for it and, where
 * the storage numbers each write of an object (GCS), that number; null elsewhere.
 */
public record ExistingObject(long bytes, Checksum checksum, Long generation) {

  public ExistingObject(long bytes, Checksum checksum) {
    this(bytes, checksum, null);
  }

  /**
   * Whether {@code other} is this very object: the same generation where both have one, else the
   * same size and checksum.
   */
  public boolean isSameObject(ExistingObject other) {
    if (generation != null && other.generation != null) {
      return generation.equals(other.generation);
    }
    return bytes == other.bytes && checksum.equals(other.checksum);
  }

  @Override
  public String toString() {
    return bytes + " bytes, " + checksum + (generation == null ? "" : ", generation " + generation);
  }
}
