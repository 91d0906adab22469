package io.datapass.xrootd;

/**
 * What kXR_stat reports: {@code <id> <size> <flags> <mtime> [<ctime> <atime> <mode> <owner>
 * <group>]}.
 *
 * @param modifiedEpochSeconds the mtime, seconds since the epoch
 */
public record StatInfo(long size, int flags, long modifiedEpochSeconds) {
  static final int IS_DIRECTORY = 2;
  static final int OTHER = 4;

  static StatInfo parse(String text) {
    String[] fields = text.trim().split("\\s+");
    if (fields.length < 4) {
      throw new IllegalArgumentException("unreadable stat reply '" + text + "'");
    }
    return new StatInfo(
        Long.parseLong(fields[1]), Integer.parseInt(fields[2]), Long.parseLong(fields[3]));
  }

  public boolean isDirectory() {
    return (flags & IS_DIRECTORY) != 0;
  }

  public boolean isFile() {
    return (flags & (IS_DIRECTORY | OTHER)) == 0;
  }
}
