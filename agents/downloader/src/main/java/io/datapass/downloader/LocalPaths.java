package io.datapass.downloader;

import io.datapass.common.ConfigException;
import io.datapass.common.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local directories a run writes, checked before any transfer: a path the agent cannot write is
 * a usage error that no retry mends, not a failure found after every input was fetched.
 */
final class LocalPaths {
  private LocalPaths() {}

  /**
   * {@code --dest}: a directory that the agent can write, created if need be, but only the
   * directory itself: a missing parent is more likely a typo than a tree to create.
   */
  static void requireDest(Path dest) throws ConfigException {
    String fix = "; give --dest a directory this agent can write";
    if (Files.exists(dest) && !Files.isDirectory(dest)) {
      throw new ConfigException("--dest " + dest + " is not a directory" + fix);
    }
    Path parent = dest.getParent();
    if (!Files.isDirectory(dest) && parent != null && Files.notExists(parent)) {
      throw new ConfigException(
          "--dest "
              + dest
              + ": its parent "
              + parent
              + " does not exist (only --dest itself is created); check the path, or create "
              + parent
              + " first");
    }
    try {
      Files.createDirectories(dest);
    } catch (IOException e) {
      throw new ConfigException(
          "--dest " + dest + " cannot be created: " + FileErrors.reason(e, dest) + fix, e);
    }
    String problem = unwritable(dest);
    if (problem != null) {
      throw new ConfigException("--dest " + dest + ": cannot write in it: " + problem + fix);
    }
  }

  /** {@code --ready-file}: its directory, created if need be, must take a new file. */
  static void requireReadyFileDirectory(Path ready) throws ConfigException {
    Path directory = ready.toAbsolutePath().getParent();
    String fix = "; give a --ready-file in a directory this agent can write";
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new ConfigException(
          "--ready-file "
              + ready
              + ": cannot create "
              + directory
              + ": "
              + FileErrors.reason(e, directory)
              + fix,
          e);
    }
    String problem = unwritable(directory);
    if (problem != null) {
      throw new ConfigException(
          "--ready-file " + ready + ": cannot write in " + directory + ": " + problem + fix);
    }
  }

  /** Why no file can be created in {@code directory}, or null when one can. */
  private static String unwritable(Path directory) {
    try {
      Files.delete(Files.createTempFile(directory, ".datapass-probe-", ""));
      return null;
    } catch (IOException e) {
      return FileErrors.reason(e, directory);
    }
  }
}
