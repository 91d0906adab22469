package io.datapass.transfer.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens the local files an upload reads, never through a symbolic link: what is uploaded may come
 * from a payload that could swap a file for a link to anything on the node (a key, another pod's
 * data) after it was listed.
 */
public final class LocalFiles {
  private LocalFiles() {}

  /** The trees a payload writes: files under them are reached only through real directories. */
  private static final Set<ContainedTree> payloadTrees = ConcurrentHashMap.newKeySet();

  /**
   * Reads of files under {@code root} from now on go from {@code root} through real directories
   * only (see {@link ContainedTree}): every reader of a payload's tree (the sinks, checksums) then
   * refuses a directory swapped for a link, not only a file.
   */
  public static ContainedTree confineReadsTo(Path root) {
    ContainedTree tree = new ContainedTree(root);
    payloadTrees.add(tree);
    return tree;
  }

  private static ContainedTree treeOf(Path file) {
    for (ContainedTree tree : payloadTrees) {
      if (tree.contains(file)) {
        return tree;
      }
    }
    return null;
  }

  /**
   * {@code file} opened to read (O_NOFOLLOW).
   *
   * @throws TransferException (permanent) naming the file when it is a symbolic link
   */
  public static FileChannel openToRead(Path file) throws IOException {
    ContainedTree tree = treeOf(file);
    if (tree != null) {
      return tree.open(file);
    }
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
    return attributes(file).size();
  }

  /** What {@code file} itself is, reached as {@link #openToRead} reaches it; a link fails. */
  public static BasicFileAttributes attributes(Path file) throws IOException {
    ContainedTree tree = treeOf(file);
    BasicFileAttributes attributes =
        tree != null
            ? tree.attributes(file)
            : Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isSymbolicLink()) {
      throw symbolicLink(file, null);
    }
    return attributes;
  }

  private static TransferException symbolicLink(Path file, Throwable cause) {
    return TransferException.permanent(file + " is a symbolic link: not read through it", cause);
  }
}
