package io.datapass.sidecar;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the lifecycle on every change in the workdir (inotify through the JDK's watch service: no
 * busy poll). A rename counts as a create, so {@code done} written to a temporary name and moved
 * into place is seen.
 */
final class WorkdirWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkdirWatcher.class);

  private final WatchService service;
  private final Thread thread;

  private WorkdirWatcher(WatchService service, Wakeup wakeup) {
    this.service = service;
    this.thread = new Thread(() -> forward(wakeup), "workdir-watch");
    thread.setDaemon(true);
  }

  static WorkdirWatcher start(Path workdir, Wakeup wakeup) throws IOException {
    WatchService service = FileSystems.getDefault().newWatchService();
    workdir.register(
        service,
        StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    WorkdirWatcher watcher = new WorkdirWatcher(service, wakeup);
    watcher.thread.start();
    return watcher;
  }

  private void forward(Wakeup wakeup) {
    try {
      while (true) {
        WatchKey key = service.take();
        key.pollEvents(); // which file does not matter: the lifecycle looks at all of them
        // (overflow included)
        wakeup.signal();
        if (!key.reset()) {
          log.warn(
              "the workdir can no longer be watched (removed?); relying on the periodic re-check");
          return;
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: the run is over
    }
  }

  @Override
  public void close() throws IOException {
    service.close();
  }
}
