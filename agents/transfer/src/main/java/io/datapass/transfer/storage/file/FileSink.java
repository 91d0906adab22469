package io.datapass.transfer.storage.file;
import io.datapass.transfer.storage.ObjectSink;

import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Copies to a mounted filesystem ({@code file:} URIs and paths): a shared one such as NFS, CephFS or a FUSE mount of
 * grid storage, or a volume. The copy goes to a hidden temporary name in the target directory (created as needed),
 * is flushed to disk, read back and compared by crc32c with the local file, and only then renamed to the final name.
 */
public final class FileSink implements ObjectSink {

  @Override
  public Checksum upload(Path file, URI target) throws IOException {
    Path destination = Path.of(target);
    Files.createDirectories(destination.getParent());
    Path temporary = destination.resolveSibling("." + destination.getFileName() + "."
        + UUID.randomUUID().toString().substring(0, 8) + ".part");
    boolean renamed = false;
    try {
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
          FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        long size = in.size();
        for (long copied = 0; copied < size; ) {
          copied += in.transferTo(copied, size - copied, out);
        }
        out.force(true);
      }
      Checksum local = ChecksumAlgorithm.CRC32C.of(file);
      Checksum stored = ChecksumAlgorithm.CRC32C.of(temporary);
      if (!stored.equals(local)) {
        throw TransferException.retryable("copy of " + file + " to " + destination + " differs: stored " + stored
            + ", local " + local + " (did the file change while it was copied?)", null);
      }
      Files.move(temporary, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      renamed = true;
      return stored;
    } finally {
      if (!renamed) {
        Files.deleteIfExists(temporary);
      }
    }
  }
}
