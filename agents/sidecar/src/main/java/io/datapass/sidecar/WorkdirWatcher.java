package io.datapass.sidecar;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the lifecycle on every change in the workdir (inotify through the JDK's watch service: no
 * busy poll). A rename counts as a create, so {@code done} written to a temporary name and moved
 * into place is seen. {@link #startTree} watches a directory's subdirectories too, each new one as
 * it appears, up to {@value #MAX_DIRECTORIES} (inotify watches are a per-user budget of the node,
 * and a payload could make directories without end).
 */
final class WorkdirWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkdirWatcher.class);
  static final int MAX_DIRECTORIES = 1000;

  private final WatchService service;
  private final boolean tree;
  private final Thread thread;
  private int directories;

  private WorkdirWatcher(WatchService service, Wakeup wakeup, boolean tree) {
    this.service = service;
    this.tree = tree;
    this.thread = new Thread(() -> forward(wakeup), "workdir-watch");
    thread.setDaemon(true);
  }

  static WorkdirWatcher start(Path workdir, Wakeup wakeup) throws IOException {
    return start(workdir, wakeup, false);
  }

  /** Watches {@code dir} and the directories below it. */
  static WorkdirWatcher startTree(Path dir, Wakeup wakeup) throws IOException {
    return start(dir, wakeup, true);
  }

  private static WorkdirWatcher start(Path dir, Wakeup wakeup, boolean tree) throws IOException {
    WatchService service = FileSystems.getDefault().newWatchService();
    WorkdirWatcher watcher = new WorkdirWatcher(service, wakeup, tree);
    try {
      watcher.register(dir);
      if (tree) {
        watcher.registerBelow(dir);
      }
    } catch (IOException e) {
      service.close();
      throw e;
    }
    watcher.thread.start();
    return watcher;
  }

  private void register(Path dir) throws IOException {
    dir.register(
        service,
        StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    directories++;
  }

  /** The directories below {@code dir} (not through links), while the budget lasts. */
  private void registerBelow(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.skip(1).filter(WorkdirWatcher::isDirectory).toList()) {
        if (directories >= MAX_DIRECTORIES) {
          log.warn(
              "{} directories watched under {}; the rest is found by periodic scans",
              directories,
              dir);
          return;
        }
        register(path);
      }
    } catch (IOException | RuntimeException e) {
      log.debug(
          "{}: not every directory watched ({}); periodic scans find the rest", dir, e.toString());
    }
  }

  private static boolean isDirectory(Path path) {
    return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
  }

  private void forward(Wakeup wakeup) {
    try {
      while (true) {
        WatchKey key = service.take();
        for (WatchEvent<?> event : key.pollEvents()) {
          // which file does not matter: the reader looks at all of them (overflow included)
          if (tree
              && event.kind() == StandardWatchEventKinds.ENTRY_CREATE
              && event.context() instanceof Path name) {
            Path created = ((Path) key.watchable()).resolve(name);
            if (isDirectory(created) && directories < MAX_DIRECTORIES) {
              registerNew(created);
            }
          }
        }
        wakeup.signal();
        if (!key.reset() && !tree) {
          log.warn(
              "the workdir can no longer be watched (removed?); relying on the periodic re-check");
          return;
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: the run is over
    }
  }

  private void registerNew(Path created) {
    try {
      register(created);
      registerBelow(created); // made with its contents (mkdir -p, a rename) before the watch
    } catch (IOException e) {
      log.debug("{} not watched ({}); periodic scans find its files", created, e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    service.close();
  }
}
