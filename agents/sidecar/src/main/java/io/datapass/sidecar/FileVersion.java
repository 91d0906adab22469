package io.datapass.sidecar;

import io.datapass.transfer.storage.LocalFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * A version of an output file as the file system shows it: its size and modification time (in
 * nanoseconds, as precise as the file system keeps it). A write changes one or the other; the final
 * check also compares checksums, for file systems with coarse times and payloads that set them.
 */
record FileVersion(long size, long mtime) {

  /** The file's version, never through a symbolic link (one fails as an upload of it would). */
  static FileVersion of(Path file) throws IOException {
    // refuses a link, on the way from output/ too, naming it
    BasicFileAttributes attributes = LocalFiles.attributes(file);
    return new FileVersion(
        attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
  }
}
