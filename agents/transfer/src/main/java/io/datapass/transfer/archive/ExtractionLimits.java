package io.datapass.transfer.archive;

/**
 * Caps that stop archive bombs: bytes actually written and entries seen, counted while extracting
 * (the sizes an archive declares are not trusted).
 */
public record ExtractionLimits(long maxBytes, int maxEntries) {
  public static final ExtractionLimits DEFAULT = new ExtractionLimits(64L << 30, 200_000);

  public ExtractionLimits {
    if (maxBytes <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException("extraction limits must be positive");
    }
  }
}
