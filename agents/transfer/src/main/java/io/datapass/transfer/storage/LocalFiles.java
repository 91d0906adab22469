package io.datapass.transfer.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens the local files an upload reads, never through a symbolic link: what is uploaded may come
 * from a payload that could swap a file for a link to anything on the node (a key, another pod's
 * data) after it was listed.
 */
public final class LocalFiles {
  private LocalFiles() {}

  /**
   * {@code file} opened to read (O_NOFOLLOW).
   *
   * @throws TransferException (permanent) naming the file when it is a symbolic link
   */
  public static FileChannel openToRead(Path file) throws IOException {
    try {
      return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      // O_NOFOLLOW on a link fails with ELOOP, which the JDK reports without the file's name
      if (Files.isSymbolicLink(file)) {
        throw symbolicLink(file, e);
      }
      throw e;
    }
  }

  /** The size of {@code file}, itself: a symbolic link fails as {@link #openToRead} does. */
  public static long size(Path file) throws IOException {
    BasicFileAttributes attributes =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isSymbolicLink()) {
      throw symbolicLink(file, null);
    }
    return attributes.size();
  }

  private static TransferException symbolicLink(Path file, Throwable cause) {
    return TransferException.permanent(file + " is a symbolic link: not read through it", cause);
  }
}
