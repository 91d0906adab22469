package io.datapass.sidecar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads outputs while the payload runs ({@code --upload-during-run}), from the moment {@code
 * started} appears until {@link #finish}: each regular file under {@code output/} whose size and
 * modification time stayed the same for the settle time is uploaded in the background, a version
 * not stored yet each time it settles. The state machine and the payload never wait for it. Scans
 * follow the file events of {@code output/} (inotify) and a timer: the moment the next file may
 * have settled, and a re-scan every settle time for file systems where events are missed; never
 * more often than {@link #gap}.
 *
 * <p>A failed upload is not tried again during the run unless the file changes: the final round
 * ({@link OutputUploads#uploadAll}) tries everything not stored.
 */
final class IncrementalUploads implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IncrementalUploads.class);

  /** A version of a file, and since when it has been seen unchanged. */
  private record Seen(FileVersion version, long since) {}

  private final OutputUploads uploads;
  private final UploadProgress progress;
  private final Path output;
  private final Path started;
  private final long settle;
  private final long gap;
  private final Wakeup changes = new Wakeup();
  private final ExecutorService senders;
  private final Map<Path, Seen> seen = new HashMap<>(); // the scanner's own
  private final Set<Path> sending = ConcurrentHashMap.newKeySet();
  private final Map<Path, FileVersion> failed = new ConcurrentHashMap<>();
  private Thread scanner;
  private WorkdirWatcher watcher;
  private boolean stopping;

  IncrementalUploads(
      OutputUploads uploads,
      UploadProgress progress,
      Workdir workdir,
      Duration settle,
      int parallel) {
    this.uploads = uploads;
    this.progress = progress;
    this.output = workdir.output();
    this.started = workdir.started();
    this.settle = settle.toNanos();
    this.gap = gap(settle).toNanos();
    this.senders =
        Executors.newFixedThreadPool(
            parallel,
            task -> {
              Thread thread = new Thread(task, "upload during run");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** At most one scan per quarter of the settle time, between 0.25 and 2 s. */
  static Duration gap(Duration settle) {
    long quarter = settle.toMillis() / 4;
    return Duration.ofMillis(Math.max(250, Math.min(2000, quarter)));
  }

  /** Starts the scans, which wait for the payload to start. */
  synchronized IncrementalUploads start() {
    scanner = new Thread(this::scanUntilFinished, "uploads during run");
    scanner.setDaemon(true);
    scanner.start();
    return this;
  }

  /**
   * Stops scanning and waits for the uploads under way: the final round comes next, and an output
   * is never sent by both at once.
   */
  void finish() throws InterruptedException {
    Thread running;
    synchronized (this) {
      stopping = true;
      notifyAll();
      running = scanner;
    }
    changes.signal();
    if (running != null) {
      running.join();
    }
    senders.shutdown();
    senders.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    closeWatcher();
  }

  @Override
  public void close() {
    synchronized (this) {
      stopping = true;
      notifyAll();
    }
    changes.signal();
    senders.shutdown();
    closeWatcher();
  }

  private void scanUntilFinished() {
    try {
      while (!Files.isRegularFile(started, LinkOption.NOFOLLOW_LINKS)) {
        pause(gap); // a stat per gap: the workdir's own watch wakes the lifecycle alone
        if (isStopping()) {
          return;
        }
      }
      log.info(
          "uploading each output under {} once it has been quiet for {} s",
          output,
          TimeUnit.NANOSECONDS.toSeconds(settle));
      while (!isStopping()) {
        watchOutput();
        long scannedAt = System.nanoTime();
        long due = scan(scannedAt);
        changes.await(Duration.ofNanos(Math.min(due, settle)));
        pause(scannedAt + gap - System.nanoTime());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("uploads during the run stopped (the final round uploads everything): {}", e, e);
    }
  }

  /**
   * Looks at every file once, sends those that settled; how long until the next one may have
   * settled.
   */
  private long scan(long now) {
    List<Path> files;
    try {
      files = uploads.files().list();
    } catch (IOException e) {
      log.debug("output/ not listed ({}); next scan soon", e.toString());
      return settle;
    }
    Set<Path> present = new HashSet<>(files);
    seen.keySet().retainAll(present);
    failed.keySet().retainAll(present);
    long due = Long.MAX_VALUE;
    for (Path file : files) {
      if (sending.contains(file)) {
        continue;
      }
      FileVersion version;
      try {
        version = FileVersion.of(file);
      } catch (IOException e) {
        continue; // gone, or swapped for a link: the final round says so if it matters
      }
      String target = uploads.target(file);
      if (uploads.isStored(target, version) || version.equals(failed.get(file))) {
        seen.remove(file);
        continue;
      }
      progress.pending(target);
      Seen last = seen.get(file);
      if (last == null || !last.version().equals(version)) {
        seen.put(file, new Seen(version, now));
        due = Math.min(due, settle);
      } else if (now - last.since() >= settle) {
        seen.remove(file);
        send(file, version);
      } else {
        due = Math.min(due, last.since() + settle - now);
      }
    }
    return due;
  }

  private void send(Path file, FileVersion version) {
    sending.add(file);
    senders.execute(
        () -> {
          try {
            uploads.upload(file, false);
          } catch (IOException | RuntimeException e) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
              failed.put(file, version);
              log.warn(
                  "{}: not uploaded during the run ({}); tried again at the end",
                  file,
                  e.getMessage());
            }
          } finally {
            sending.remove(file);
          }
        });
  }

  /** Starts watching {@code output/} once the wrapper has created it. */
  private synchronized void watchOutput() {
    if (stopping || watcher != null || !Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      watcher = WorkdirWatcher.startTree(output, changes);
    } catch (IOException e) {
      log.warn(
          "{} cannot be watched ({}); scanning every {} s",
          output,
          e.getMessage(),
          TimeUnit.NANOSECONDS.toSeconds(settle));
    }
  }

  private synchronized void closeWatcher() {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private synchronized boolean isStopping() {
    return stopping;
  }

  private synchronized void pause(long nanos) throws InterruptedException {
    long until = System.nanoTime() + nanos;
    while (!stopping && System.nanoTime() < until) {
      TimeUnit.NANOSECONDS.timedWait(this, until - System.nanoTime());
    }
  }
}
