package io.datapass.transfer.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * A directory tree a payload writes while it is read (its {@code output/}): every entry is reached
 * from the root through real directories, each opened relative to its parent without following a
 * link (openat with O_NOFOLLOW). A directory the payload swaps for a link to anywhere on the node
 * (renameat2 RENAME_EXCHANGE in a loop) then leads nowhere: checking a path, then opening it, would
 * follow the link if the swap fell between the two.
 */
public final class ContainedTree {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /** One entry under the root: its path, its '/'-separated name there, and what it is. */
  public record Entry(Path path, String name, BasicFileAttributes attributes) {}

  private final Path root;

  /** {@code root}'s parent is the operator's (followed as given); the root itself is not. */
  public ContainedTree(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** Whether {@code file} lies under the root (by name; nothing is followed). */
  public boolean contains(Path file) {
    Path normal = file.toAbsolutePath().normalize();
    return normal.startsWith(root) && !normal.equals(root);
  }

  /** Every entry under the root in path order; links are listed, never followed. */
  public List<Entry> list() throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (SecureDirectoryStream<Path> dir = openRoot()) {
      walk(dir, "", entries);
    }
    entries.sort(Comparator.comparing(Entry::path));
    return entries;
  }

  private static void walk(SecureDirectoryStream<Path> dir, String prefix, List<Entry> into)
      throws IOException {
    for (Path child : names(dir)) {
      Path name = child.getFileName();
      BasicFileAttributes attributes;
      try {
        attributes =
            dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
      } catch (NoSuchFileException removedMeanwhile) {
        continue;
      }
      String entryName = prefix + name;
      into.add(new Entry(child, entryName, attributes));
      if (attributes.isDirectory()) {
        try (SecureDirectoryStream<Path> sub = descend(dir, name, child)) {
          walk(sub, entryName + "/", into);
        } catch (NoSuchFileException removedMeanwhile) {
          // listed without what it held: gone now
        }
      }
    }
  }

  /**
   * {@code file} (under the root) opened to read.
   *
   * @throws TransferException (permanent) when a link stands anywhere on its way from the root
   */
  public FileChannel open(Path file) throws IOException {
    Path relative = relative(file);
    SecureDirectoryStream<Path> dir = parentOf(file, relative);
    try (dir) {
      SeekableByteChannel channel;
      try {
        channel =
            dir.newByteChannel(relative.getFileName(), Set.of(StandardOpenOption.READ, NOFOLLOW));
      } catch (NoSuchFileException e) {
        throw e;
      } catch (IOException e) { // ELOOP comes as a plain IOException here
        throw linkOr(dir, relative.getFileName(), file, e);
      }
      if (channel instanceof FileChannel fileChannel) {
        return fileChannel;
      }
      channel.close();
      throw TransferException.permanent(file + ": this system opens no file channel in a tree");
    }
  }

  /**
   * What {@code file} (under the root) is; a link anywhere on its way fails as in {@link #open}.
   */
  public BasicFileAttributes attributes(Path file) throws IOException {
    Path relative = relative(file);
    try (SecureDirectoryStream<Path> dir = parentOf(file, relative)) {
      return dir.getFileAttributeView(
              relative.getFileName(), BasicFileAttributeView.class, NOFOLLOW)
          .readAttributes();
    }
  }

  /** Deletes everything inside the root (not the root: it may be a volume's mount point). */
  public void removeContents() throws IOException {
    try (SecureDirectoryStream<Path> dir = openRoot()) {
      removeInside(dir);
    }
  }

  private static void removeInside(SecureDirectoryStream<Path> dir) throws IOException {
    for (Path child : names(dir)) {
      Path name = child.getFileName();
      BasicFileAttributes attributes;
      try {
        attributes =
            dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
      } catch (NoSuchFileException removedMeanwhile) {
        continue;
      }
      if (attributes.isDirectory()) {
        try (SecureDirectoryStream<Path> sub = descend(dir, name, child)) {
          removeInside(sub);
        }
        dir.deleteDirectory(name);
      } else {
        dir.deleteFile(name); // a link itself, never what it leads to
      }
    }
  }

  /** The names first, then the work: entries deleted while listed stay out of the listing. */
  private static List<Path> names(SecureDirectoryStream<Path> dir) throws IOException {
    List<Path> names = new ArrayList<>();
    try {
      dir.forEach(names::add);
    } catch (DirectoryIteratorException e) {
      throw e.getCause();
    }
    return names;
  }

  private Path relative(Path file) {
    if (!contains(file)) {
      throw new IllegalArgumentException(file + " is not under " + root);
    }
    return root.relativize(file.toAbsolutePath().normalize());
  }

  /** The directory holding {@code file}, reached from the root through real directories. */
  private SecureDirectoryStream<Path> parentOf(Path file, Path relative) throws IOException {
    SecureDirectoryStream<Path> dir = openRoot();
    Path reached = root;
    try {
      for (int i = 0; i < relative.getNameCount() - 1; i++) {
        Path name = relative.getName(i);
        reached = reached.resolve(name);
        SecureDirectoryStream<Path> next;
        try {
          next = dir.newDirectoryStream(name, NOFOLLOW);
        } catch (FileSystemException e) {
          throw linkOr(dir, name, file, e);
        }
        dir.close();
        dir = next;
      }
      return dir;
    } catch (IOException | RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  private SecureDirectoryStream<Path> openRoot() throws IOException {
    DirectoryStream<Path> parent = Files.newDirectoryStream(root.getParent());
    try (parent) {
      if (!(parent instanceof SecureDirectoryStream<Path> secure)) {
        throw TransferException.permanent(
            root + ": this system cannot read a tree without following links");
      }
      return descend(secure, root.getFileName(), root);
    }
  }

  private static SecureDirectoryStream<Path> descend(
      SecureDirectoryStream<Path> dir, Path name, Path path) throws IOException {
    try {
      return dir.newDirectoryStream(name, NOFOLLOW);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (FileSystemException e) {
      throw linkOr(dir, name, path, e);
    }
  }

  /** O_NOFOLLOW on a link fails with ELOOP, which the JDK reports without naming the link. */
  private static IOException linkOr(
      SecureDirectoryStream<Path> dir, Path name, Path file, IOException e) {
    try {
      if (dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW)
          .readAttributes()
          .isSymbolicLink()) {
        String link = file.endsWith(name) ? file.toString() : file + ": " + name;
        return TransferException.permanent(link + " is a symbolic link: not read through it", e);
      }
    } catch (IOException gone) {
      e.addSuppressed(gone);
    }
    return e;
  }
}
