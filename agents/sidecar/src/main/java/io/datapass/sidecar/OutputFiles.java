package io.datapass.sidecar;

import io.datapass.common.Printable;
import io.datapass.transfer.storage.ContainedTree;
import io.datapass.transfer.storage.LocalFiles;
import io.datapass.transfer.storage.OutputNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The regular files under {@code output/}, listed again for each upload round. Symbolic links are
 * never followed (one could lead anywhere on the node) and, like devices and pipes, are left out
 * with one warning each.
 */
final class OutputFiles {
  private static final Logger log = LoggerFactory.getLogger(OutputFiles.class);

  private final Path output;
  private final ContainedTree tree;
  private final Set<Path> warned = new HashSet<>();

  OutputFiles(Path output) {
    this.output = output;
    // every upload of these files, by any sink, reads them only through output/'s real directories
    this.tree = LocalFiles.confineReadsTo(output);
  }

  /** The name of {@code file} under {@code output/}, with '/' between directories. */
  String name(Path file) {
    return output.relativize(file).toString(); // never rewritten: '\\' is a character on Linux
  }

  /** In name order; empty while {@code output/} does not exist. */
  List<Path> list() throws IOException {
    if (!Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    List<ContainedTree.Entry> entries;
    try {
      entries = tree.list();
    } catch (NoSuchFileException removedMeanwhile) {
      return List.of();
    }
    for (ContainedTree.Entry entry : entries) {
      BasicFileAttributes attributes = entry.attributes();
      String refusal = OutputNames.refusal(entry.name());
      if (refusal != null) {
        leftOut(entry.path(), OutputNames.leftOut(entry.name(), refusal));
      } else if (attributes.isRegularFile()) {
        files.add(entry.path());
      } else if (!attributes.isDirectory()) {
        leftOut(
            entry.path(),
            Printable.quoted(entry.name())
                + ": "
                + kind(attributes)
                + " left out (only regular files are uploaded)");
      }
    }
    return files;
  }

  private synchronized void leftOut(Path path, String warning) {
    if (warned.add(path)) {
      log.warn("{}", warning);
    }
  }

  private static String kind(BasicFileAttributes attributes) {
    return attributes.isSymbolicLink() ? "symbolic link" : "special file";
  }
}
