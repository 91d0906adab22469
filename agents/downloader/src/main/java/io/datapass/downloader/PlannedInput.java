package io.datapass.downloader;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.storage.Locations;
import java.net.URI;
import java.nio.file.Path;

/**
 * An input with its place on disk decided.
 *
 * @param field where it stands in the manifest ({@code tasks[2].inputs[0]}), for messages
 * @param target the file to write; for an unpacked archive or a directory source, the directory to
 *     fill
 */
record PlannedInput(String field, URI source, Path target, Checksum checksum, boolean unpack) {
  boolean isDirectory() {
    return Locations.isDirectory(source);
  }
}
