package io.datapass.downloader;

import io.datapass.common.ConfigException;
import io.datapass.common.FileErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * The file whose existence tells the payload (or the sidecar's startup probe) that every input is
 * in place.
 */
final class ReadyFile {
  static final String FLAG = "ready-file";
  static final String DEFAULT = "/workdir/ready";

  private ReadyFile() {}

  /**
   * Removes the ready file named by the raw arguments before they are parsed, so that a run that
   * fails on a bad flag or manifest leaves none behind. {@code --help} removes nothing.
   */
  static void removeStale(String[] args, Map<String, String> env) throws ConfigException {
    List<String> list = List.of(args);
    if (list.contains("--help") || list.contains("-h")) {
      return;
    }
    String path = DEFAULT;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--" + FLAG) && i + 1 < args.length) {
        path = args[i + 1];
      } else if (args[i].startsWith("--" + FLAG + "=")) {
        path = args[i].substring(FLAG.length() + 3);
      }
    }
    if (!path.isBlank()) {
      Path ready = Path.of(path).toAbsolutePath();
      try {
        Files.deleteIfExists(ready);
      } catch (IOException e) {
        throw new ConfigException(
            "--ready-file "
                + ready
                + ": cannot remove the previous run's ready file: "
                + FileErrors.reason(e, ready)
                + "; give a --ready-file in a directory this agent can write",
            e);
      }
    }
  }

  /**
   * Written to a temporary name and renamed, so the payload never sees a half-written ready file.
   */
  static void write(Path ready, String content) throws IOException {
    Files.createDirectories(ready.getParent());
    Path temp = ready.resolveSibling("." + ready.getFileName() + ".tmp");
    // Whatever an earlier payload left under the temporary name (a link above all) goes first.
    Files.deleteIfExists(temp);
    Files.writeString(
        temp,
        content + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS);
    Files.move(temp, ready, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
