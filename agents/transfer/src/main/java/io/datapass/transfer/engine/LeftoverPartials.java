package io.datapass.transfer.engine;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The partial files ({@link PartialName}) in each destination directory, by target name: those an
 * earlier run left, read with one scan per directory when this run first writes there, and those
 * this run opened. Finding a target's stale versions by a directory scan per file cost O(files²) in
 * the kernel: most of the system time for 1,000 files in one directory.
 */
final class LeftoverPartials {
  private final Map<Path, Map<String, List<Path>>> byDirectory = new HashMap<>();
  private final Set<Path> opened = new HashSet<>();

  /** True when this run opened {@code partial} before: its bytes are this run's own. */
  synchronized boolean openedBefore(Path partial) {
    return opened.contains(partial.toAbsolutePath());
  }

  /**
   * The partial files known for {@code target} (other versions of it, and maybe {@code current});
   * {@code current} is remembered as one, so a later attempt that finds a new version of the object
   * removes it.
   */
  synchronized List<Path> swap(Path target, Path current) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    Map<String, List<Path>> index = byDirectory.get(directory);
    if (index == null) {
      index = scan(directory);
      byDirectory.put(directory, index);
    }
    List<Path> known =
        index.computeIfAbsent(target.getFileName().toString(), t -> new ArrayList<>());
    List<Path> before = List.copyOf(known);
    known.clear();
    known.add(current);
    opened.add(current.toAbsolutePath());
    return before;
  }

  private static Map<String, List<Path>> scan(Path directory) throws IOException {
    Map<String, List<Path>> found = new HashMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, PartialName.GLOB)) {
      for (Path entry : entries) {
        String target = PartialName.targetName(entry.getFileName().toString());
        if (target != null) {
          found.computeIfAbsent(target, t -> new ArrayList<>()).add(entry);
        }
      }
    }
    return found;
  }
}
