package io.datapass.transfer.archive;

import io.datapass.transfer.storage.TransferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Archive formats recognised by their first bytes, not their file name. */
public enum ArchiveFormat {
  ZIP,
  TAR,
  TAR_GZ,
  TAR_BZIP2;

  public static ArchiveFormat detect(Path file) throws IOException {
    byte[] head = new byte[265];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n >= 4
        && head[0] == 'P'
        && head[1] == 'K'
        && (head[2] == 3 || head[2] == 5)
        && (head[3] == 4 || head[3] == 6)) {
      return ZIP;
    }
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return TAR_GZ;
    }
    if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
      return TAR_BZIP2;
    }
    if (n >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
      return TAR;
    }
    throw TransferException.permanent(
        "not an archive datapass can unpack (zip, tar, tar.gz, tar.bz2): " + file.getFileName());
  }
}
