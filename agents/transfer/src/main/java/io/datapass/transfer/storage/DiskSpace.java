package io.datapass.transfer.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Room on the filesystem a download lands on: checked before a download of known size, and the
 * words for a full disk or an exhausted quota, which no retry fixes.
 */
public final class DiskSpace {
  /** The JDK's texts for ENOSPC and EDQUOT (strerror); it gives Java code no errno to look at. */
  private static final String[] NO_SPACE = {"No space left on device", "Disk quota exceeded"};

  /** Bytes a directory's filesystem still gives this process. */
  @FunctionalInterface
  public interface UsableSpace {
    long of(Path directory) throws IOException;
  }

  private final UsableSpace usableSpace;

  /** What {@link java.nio.file.FileStore#getUsableSpace()} says. */
  public static DiskSpace ofFileStores() {
    return new DiskSpace(directory -> Files.getFileStore(directory).getUsableSpace());
  }

  public DiskSpace(UsableSpace usableSpace) {
    this.usableSpace = usableSpace;
  }

  /**
   * Fails, permanently, when {@code directory}'s filesystem has less than {@code bytes} free for
   * {@code target}.
   */
  public void requireRoom(Path directory, Path target, long bytes) throws IOException {
    long free = usableSpace.of(directory);
    if (free < bytes) {
      throw TransferException.permanent(
          "not enough space for "
              + target
              + ": "
              + amount(bytes)
              + " still to write, "
              + amount(free)
              + " free in "
              + directory);
    }
  }

  /**
   * The permanent failure for a write that found the disk full: what was still to come, and what is
   * free now.
   */
  public TransferException exhausted(
      Path directory, Path target, long written, long size, IOException cause) {
    String needed = size < 0 ? "size unknown" : amount(size - written) + " still to write";
    String free;
    try {
      free = amount(usableSpace.of(directory));
    } catch (IOException e) {
      free = "unknown";
    }
    return TransferException.permanent(
        "no space left for "
            + target
            + " after "
            + amount(written)
            + " ("
            + needed
            + ", "
            + free
            + " free in "
            + directory
            + "): "
            + cause.getMessage(),
        cause);
  }

  /** True when the failure, or one of its causes, is a full disk or an exhausted quota. */
  public static boolean isOutOfSpace(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      if (message != null) {
        for (String text : NO_SPACE) {
          if (message.contains(text)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static String amount(long bytes) {
    return bytes + " bytes (" + Sizes.bytes(bytes) + ")";
  }
}
