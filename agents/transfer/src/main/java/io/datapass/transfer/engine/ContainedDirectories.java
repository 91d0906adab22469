package io.datapass.transfer.engine;

import io.datapass.transfer.storage.TransferException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Creates a target's parent directories below a root without following a link: a payload can plant
 * {@code data -> /elsewhere} in the input directory before a restart, and a download must never
 * land outside it.
 */
final class ContainedDirectories {
  private ContainedDirectories() {}

  /**
   * Makes every directory between {@code root} and {@code target}'s parent, refusing a symbolic
   * link or a file on the way, and checks that the parent's real path lies in {@code root}'s.
   */
  static void prepare(Path root, Path target) throws IOException {
    Path base = root.toAbsolutePath().normalize();
    Path parent = target.toAbsolutePath().normalize().getParent();
    if (parent == null || !parent.startsWith(base)) {
      throw TransferException.permanent(target + " is not inside " + root);
    }
    Path current = base;
    for (Path name : base.relativize(parent)) {
      if (name.toString().isEmpty()) {
        continue; // the target lies directly in the root
      }
      current = current.resolve(name);
      requireDirectory(current);
    }
    if (!parent.toRealPath().startsWith(base.toRealPath())) {
      throw TransferException.permanent(parent + " leads outside " + root);
    }
  }

  private static void requireDirectory(Path directory) throws IOException {
    BasicFileAttributes attributes = attributesOf(directory);
    if (attributes == null) {
      try {
        Files.createDirectory(directory);
        return;
      } catch (FileAlreadyExistsException raced) {
        attributes = attributesOf(directory);
      }
    }
    if (attributes != null && attributes.isSymbolicLink()) {
      throw TransferException.permanent(
          directory
              + " is a symbolic link: inputs are never written through one (remove it, or"
              + " choose another target)");
    }
    if (attributes == null || !attributes.isDirectory()) {
      throw TransferException.permanent(
          directory + " is in the way: a file where a directory of the target must be");
    }
  }

  private static BasicFileAttributes attributesOf(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
