package io.datapass.cleanup;

import io.datapass.common.Printable;
import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.checksum.Hasher;
import io.datapass.transfer.storage.ContainedTree;
import io.datapass.transfer.storage.LocalFiles;
import io.datapass.transfer.storage.OutputNames;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** Each file is read in pieces of this size, hashed and deflated from the same buffer. */
  private static final int BUFFER = 256 << 10;

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
    // the zip and every sink read these files only through the tree's real directories
    for (ContainedTree.Entry entry : LocalFiles.confineReadsTo(root).list()) {
      tree.add(entry);
    }
    return tree;
  }

  private void add(ContainedTree.Entry entry) {
    Path path = entry.path();
    String name = entry.name();
    BasicFileAttributes attributes = entry.attributes();
    String refusal = OutputNames.refusal(name);
    if (refusal != null) {
      skipped.add(name);
      log.warn("{}", OutputNames.leftOut(name, refusal));
    } else if (attributes.isRegularFile()) {
      files.add(new OutputFile(name, path, attributes.size()));
      entries.add(new Entry(name, attributes.lastModifiedTime()));
    } else if (attributes.isDirectory()) {
      entries.add(new Entry(name + "/", attributes.lastModifiedTime()));
    } else {
      skipped.add(name);
      log.warn(
          "{}: {} left out (only regular files and directories are uploaded)",
          Printable.quoted(name),
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
   * Writes the tree as a zip (ZIP64 when large) to {@code out}, which is left open, reading each
   * file once. Entries keep the files' times, not the time of zipping, and come in name order: the
   * same outputs give the same bytes, which a rerun finds already stored.
   *
   * @param level deflate level, 0 (no compression) to 9
   * @return each file's sha256, by name, computed from the bytes that went into the zip
   */
  Map<String, Checksum> zipTo(OutputStream out, int level) throws IOException {
    Map<String, Checksum> checksums = new LinkedHashMap<>();
    ZipOutputStream zip = new ZipOutputStream(out);
    zip.setLevel(level);
    byte[] buffer = new byte[BUFFER];
    int next = 0;
    for (Entry entry : entries) {
      ZipEntry zipEntry = new ZipEntry(entry.name());
      zipEntry.setLastModifiedTime(entry.modified());
      zip.putNextEntry(zipEntry);
      if (!entry.name().endsWith("/")) {
        OutputFile source = files.get(next++);
        checksums.put(source.name(), copy(source, zip, buffer));
      }
      zip.closeEntry();
    }
    zip.finish();
    return checksums;
  }

  /** Copies one file into the zip, hashing what it reads; never through a symbolic link. */
  private static Checksum copy(OutputFile source, OutputStream out, byte[] buffer)
      throws IOException {
    Hasher sha256 = ChecksumAlgorithm.SHA256.newHasher();
    long copied = 0;
    try (FileChannel in = LocalFiles.openToRead(source.path())) {
      ByteBuffer wrapped = ByteBuffer.wrap(buffer);
      for (int read; (read = in.read(wrapped.clear())) >= 0; ) {
        sha256.update(buffer, 0, read);
        out.write(buffer, 0, read);
        copied += read;
      }
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
    return new Checksum(ChecksumAlgorithm.SHA256, sha256.hex());
  }
}
