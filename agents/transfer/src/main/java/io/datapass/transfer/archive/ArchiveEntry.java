package io.datapass.transfer.archive;

/**
 * One entry of an archive, whatever the format.
 *
 * @param linkTarget the link's target for symbolic and hard links, else null
 * @param mode unix permission bits, 0 when the archive has none
 */
record ArchiveEntry(String name, Kind kind, String linkTarget, int mode) {
  enum Kind {
    DIRECTORY,
    FILE,
    SYMLINK,
    HARDLINK,
    /** Devices, FIFOs and anything else: always rejected. */
    SPECIAL
  }
}
