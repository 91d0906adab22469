package io.datapass.transfer.checksum;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/** Computes several checksums in one pass over the same bytes. */
public final class ChecksumSet {
  private final Map<ChecksumAlgorithm, Hasher> hashers = new EnumMap<>(ChecksumAlgorithm.class);

  public ChecksumSet(Collection<ChecksumAlgorithm> algorithms) {
    algorithms.forEach(a -> hashers.put(a, a.newHasher()));
  }

  public void update(byte[] buffer, int offset, int length) {
    for (Hasher hasher : hashers.values()) {
      hasher.update(buffer, offset, length);
    }
  }

  /** Hashes the buffer's remaining bytes with every algorithm, leaving its position untouched. */
  public void update(java.nio.ByteBuffer buffer) {
    for (Hasher hasher : hashers.values()) {
      hasher.update(buffer);
    }
  }

  /** True when one of the algorithms is {@link ChecksumAlgorithm#costly()}. */
  public boolean costly() {
    return hashers.keySet().stream().anyMatch(ChecksumAlgorithm::costly);
  }

  public boolean computes(ChecksumAlgorithm algorithm) {
    return hashers.containsKey(algorithm);
  }

  public Checksum value(ChecksumAlgorithm algorithm) {
    Hasher hasher = hashers.get(algorithm);
    if (hasher == null) {
      throw new IllegalArgumentException(algorithm.label() + " is not computed here");
    }
    return new Checksum(algorithm, hasher.hex());
  }

  /** A fresh set computing the same algorithms, from zero. */
  public ChecksumSet reset() {
    return new ChecksumSet(hashers.keySet());
  }
}
