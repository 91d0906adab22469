package io.datapass.cleanup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files a job left in its output directory: regular files and directories, in name order. Symbolic links are
 * never followed (a link could lead anywhere on the node) and, like devices and pipes, are left out with a warning.
 */
final class OutputTree {
  private static final Logger log = LoggerFactory.getLogger(OutputTree.class);

  /** One regular file, by its path relative to the output directory ('/'-separated). */
  record OutputFile(String name, Path path, long bytes) {}

  private final Path root;
  private final List<OutputFile> files = new ArrayList<>();
  /** Zip entry names in name order: directories end with '/'. */
  private final List<String> entries = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();

  private OutputTree(Path root) {
    this.root = root;
  }

  static OutputTree scan(Path root) throws IOException {
    OutputTree tree = new OutputTree(root);
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted().toList()) {
        if (!path.equals(root)) {
          tree.add(path);
        }
      }
    }
    return tree;
  }

  private void add(Path path) throws IOException {
    String name = root.relativize(path).toString().replace('\\', '/');
    BasicFileAttributes attributes =
        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isRegularFile()) {
      files.add(new OutputFile(name, path, attributes.size()));
      entries.add(name);
    } else if (attributes.isDirectory()) {
      entries.add(name + "/");
    } else {
      skipped.add(name);
      log.warn("{}: {} left out (only regular files and directories are uploaded)", path,
          attributes.isSymbolicLink() ? "symbolic link" : "special file");
    }
  }

  List<OutputFile> files() {
    return files;
  }

  List<String> skipped() {
    return skipped;
  }

  long bytes() {
    return files.stream().mapToLong(OutputFile::bytes).sum();
  }

  /**
   * Writes the tree as a zip (ZIP64 when large) to {@code zip}, through a hidden temporary name renamed at the
   * end, so a zip under its final name is always whole.
   */
  void zipTo(Path zip, int level) throws IOException {
    Path partial = zip.resolveSibling("." + zip.getFileName() + ".part");
    try (OutputStream file = Files.newOutputStream(partial);
        ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(file, 1 << 20))) {
      out.setLevel(level);
      int next = 0;
      for (String name : entries) {
        out.putNextEntry(new ZipEntry(name));
        if (!name.endsWith("/")) {
          OutputFile source = files.get(next++);
          long copied = Files.copy(source.path(), out);
          if (copied != source.bytes()) {
            throw new IOException(source.path() + " changed size while it was zipped (" + source.bytes() + " -> "
                + copied + " bytes)");
          }
        }
        out.closeEntry();
      }
    } catch (IOException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
