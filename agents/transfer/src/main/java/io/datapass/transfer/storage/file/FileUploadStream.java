package io.datapass.transfer.storage.file;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.UploadStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A streamed upload to a mounted filesystem, as {@link FileSink} copies a file: written to a hidden
 * temporary name in the target directory, flushed to disk, read back and compared by crc32c with
 * what was written, then linked to the final name (renamed when it may replace).
 */
final class FileUploadStream extends UploadStream {
  private final Path destination;
  private final URI target;
  private final boolean replace;
  private final Path temporary;
  private final FileChannel out;

  private FileUploadStream(Path destination, URI target, boolean replace, Path temporary)
      throws IOException {
    super(ChecksumAlgorithm.CRC32C);
    this.destination = destination;
    this.target = target;
    this.replace = replace;
    this.temporary = temporary;
    this.out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  static FileUploadStream open(Path destination, URI target, boolean replace) throws IOException {
    return new FileUploadStream(destination, target, replace, FileSink.temporaryFor(destination));
  }

  @Override
  protected void send(byte[] buffer, int offset, int length) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(buffer, offset, length);
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
  }

  @Override
  protected Checksum finish(Checksum written, long bytes) throws IOException {
    out.force(true);
    out.close();
    Checksum stored = ChecksumAlgorithm.CRC32C.of(temporary);
    long size = Files.size(temporary);
    if (size != bytes || !stored.equals(written)) {
      throw TransferException.retryable(
          "stream to "
              + destination
              + " differs: stored "
              + size
              + " bytes, "
              + stored
              + "; written "
              + bytes
              + " bytes, "
              + written,
          null);
    }
    if (!FileSink.place(temporary, destination, target, replace)) {
      Files.deleteIfExists(temporary); // linked: the final name holds the bytes
    }
    return stored;
  }

  @Override
  protected void discard() {
    try {
      out.close();
      Files.deleteIfExists(temporary);
    } catch (IOException ignored) {
      // a hidden, unique name; nothing under the final name either way
    }
  }
}
