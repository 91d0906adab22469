package io.datapass.sidecar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
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
  private final Set<Path> warned = new HashSet<>();

  OutputFiles(Path output) {
    this.output = output;
  }

  /** The name of {@code file} under {@code output/}, with '/' between directories. */
  String name(Path file) {
    return output.relativize(file).toString().replace('\\', '/');
  }

  /** In name order; empty while {@code output/} does not exist. */
  List<Path> list() throws IOException {
    if (!Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(output)) {
      for (Path path : walk.sorted().toList()) {
        BasicFileAttributes attributes;
        try {
          attributes =
              Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException removedMeanwhile) {
          continue;
        }
        if (attributes.isRegularFile()) {
          files.add(path);
        } else if (!attributes.isDirectory()) {
          leftOut(path, attributes);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause(); // a directory removed while it was walked, say: the next round sees it
    }
    return files;
  }

  private synchronized void leftOut(Path path, BasicFileAttributes attributes) {
    if (warned.add(path)) {
      log.warn(
          "{}: {} left out (only regular files are uploaded)",
          path,
          attributes.isSymbolicLink() ? "symbolic link" : "special file");
    }
  }
}
