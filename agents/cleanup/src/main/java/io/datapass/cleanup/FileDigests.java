package io.datapass.cleanup;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.checksum.FileHashing;
import io.datapass.transfer.checksum.Hasher;
import io.datapass.transfer.storage.LocalFiles;
import io.datapass.transfer.storage.TransferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** The sha256 the manifest lists for a file uploaded as it is (tree mode). */
final class FileDigests {
  private FileDigests() {}

  /**
   * The sha256 of {@code file}, read after its upload, in one pass with the checksum the storage
   * keeps: that one must still be {@code stored}, so the sha256 is of the bytes that were stored.
   */
  static Checksum sha256Holding(Path file, Checksum stored) throws IOException {
    Hasher sha256 = ChecksumAlgorithm.SHA256.newHasher();
    Hasher storages = stored.algorithm().newHasher();
    Hasher both =
        new Hasher() {
          @Override
          public void update(byte[] buffer, int offset, int length) {
            sha256.update(buffer, offset, length);
            storages.update(buffer, offset, length);
          }

          @Override
          public void update(ByteBuffer buffer) {
            sha256.update(buffer);
            storages.update(buffer);
          }

          @Override
          public String hex() {
            return sha256.hex();
          }
        };
    try (FileChannel in = LocalFiles.openToRead(file)) {
      FileHashing.update(both, in, 0, in.size());
    }
    Checksum now = new Checksum(stored.algorithm(), storages.hex());
    if (!now.equals(stored)) {
      throw TransferException.retryable(
          file + " changed after its upload (stored " + stored + ", now " + now + ")", null);
    }
    return new Checksum(ChecksumAlgorithm.SHA256, sha256.hex());
  }
}
