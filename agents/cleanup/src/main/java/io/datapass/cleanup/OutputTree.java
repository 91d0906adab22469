package io.datapass.cleanup;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files a job left in its output directory: regular files and directories, in name order.
 * Symbolic links are never followed (a link could lead anywhere on the node) and, like devices and
 * pipes, are left out with a warning.
 */
final class OutputTree {
  private static final Logger log = LoggerFactory.getLogger(OutputTree.class);

  /** One regular file, by its path relative to the output directory ('/'-separated). */
  record OutputFile(String name, Path path, long bytes) {}

  private final Path root;
  private final List<OutputFile> files = new ArrayList<>();

  /** Zip entries in name order: directories end with '/'. */
  private final List<Entry> entries = new ArrayList<>();

  private final List<String> skipped = new ArrayList<>();

  /**
   * A zip entry: its name and the time it keeps (the file's, so the same outputs make the same
   * zip).
   */
  private record Entry(String name, FileTime modified) {}

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
      entries.add(new Entry(name, attributes.lastModifiedTime()));
    } else if (attributes.isDirectory()) {
      entries.add(new Entry(name + "/", attributes.lastModifiedTime()));
    } else {
      skipped.add(name);
      log.warn(
          "{}: {} left out (only regular files and directories are uploaded)",
          path,
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
   * Writes the tree as a zip (ZIP64 when large) to {@code zip}, through a hidden temporary name
   * renamed at the end, so a zip under its final name is always whole. Entries keep the files'
   * times, not the time of zipping: the same outputs give the same bytes, which a rerun finds
   * already stored.
   *
   * @return each file's crc32c, by name, computed while it was zipped
   */
  Map<String, Checksum> zipTo(Path zip, int level) throws IOException {
    Path partial = zip.resolveSibling("." + zip.getFileName() + ".part");
    Map<String, Checksum> checksums = new LinkedHashMap<>();
    try (OutputStream file = Files.newOutputStream(partial);
        ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(file, 1 << 20))) {
      out.setLevel(level);
      int next = 0;
      for (Entry entry : entries) {
        ZipEntry zipEntry = new ZipEntry(entry.name());
        zipEntry.setLastModifiedTime(entry.modified());
        out.putNextEntry(zipEntry);
        if (!entry.name().endsWith("/")) {
          OutputFile source = files.get(next++);
          checksums.put(source.name(), copy(source, out));
        }
        out.closeEntry();
      }
    } catch (IOException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return checksums;
  }

  private static Checksum copy(OutputFile source, OutputStream out) throws IOException {
    CRC32C crc = new CRC32C();
    long copied;
    try (InputStream in = new CheckedInputStream(Files.newInputStream(source.path()), crc)) {
      copied = in.transferTo(out);
    }
    if (copied != source.bytes()) {
      throw new IOException(
          source.path()
              + " changed size while it was zipped ("
              + source.bytes()
              + " -> "
              + copied
              + " bytes)");
    }
    return new Checksum(ChecksumAlgorithm.CRC32C, HexFormat.of().toHexDigits((int) crc.getValue()));
  }
}
