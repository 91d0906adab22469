package io.datapass.transfer.archive;

/**
 * Caps that stop archive bombs: bytes actually written, entries seen (a zip's counted in its
 * central directory before it is parsed), and how many times its own size an archive may expand to
 * (the sizes an archive declares are not trusted).
 *
 * @param maxRatio bytes written per byte of archive, checked once more than {@link
 *     #RATIO_FREE_BYTES} were written (small, highly compressible files stay fine)
 */
public record ExtractionLimits(long maxBytes, int maxEntries, int maxRatio) {
  /** 4 GiB: protects a node's disk; {@code --max-unpack-gib} raises it. */
  public static final long DEFAULT_MAX_BYTES = 4L << 30;

  /** About 30 MiB of heap for a zip's directory, within the agents' 64 MiB heap. */
  public static final int DEFAULT_MAX_ENTRIES = 50_000;

  /** Real data rarely compresses 100:1; a deflate bomb reaches 1000:1. */
  public static final int DEFAULT_MAX_RATIO = 200;

  /** Output below this size is never refused for its ratio. */
  public static final long RATIO_FREE_BYTES = 64L << 20;

  public static final ExtractionLimits DEFAULT =
      new ExtractionLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_RATIO);

  public ExtractionLimits {
    if (maxBytes <= 0 || maxEntries <= 0 || maxRatio <= 0) {
      throw new IllegalArgumentException("extraction limits must be positive");
    }
  }
}
