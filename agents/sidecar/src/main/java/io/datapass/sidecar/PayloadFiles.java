package io.datapass.sidecar;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the files a payload writes into the workdir without trusting them: only a regular file
 * counts (its attributes read without following links), it is opened without following links, and
 * only its first {@link #MAX_BYTES} are read. A symbolic link, FIFO, directory or device is ignored
 * with one warning naming it, so a payload can neither make the sidecar publish a file it links to
 * nor block it nor fill its heap.
 */
final class PayloadFiles {
  private static final Logger log = LoggerFactory.getLogger(PayloadFiles.class);

  /** More than any protocol file holds (a state, an exit code). */
  static final int MAX_BYTES = 4096;

  /** How long one read may take before it counts as blocked. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

  private final ExecutorService readers =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "payload-file-read");
            thread.setDaemon(true);
            return thread;
          });
  private final Map<Path, Future<byte[]>> blocked = new ConcurrentHashMap<>();
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /**
   * The first {@link #MAX_BYTES} of {@code file}, or null while it is missing, is not a regular
   * file, or cannot be read in time.
   */
  byte[] read(Path file) throws IOException {
    if (!isRegularFile(file)) {
      return null;
    }
    Future<byte[]> stillBlocked = blocked.get(file);
    if (stillBlocked != null && !stillBlocked.isDone()) {
      return null;
    }
    blocked.remove(file);
    // Java cannot open without blocking (no O_NONBLOCK), and a FIFO swapped in after the check
    // would block open() until a writer comes: the read runs on a daemon thread, waited for
    // briefly, and a blocked one is left alone (no second thread) until it ends.
    Future<byte[]> read = readers.submit(() -> readBounded(file));
    try {
      return read.get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      blocked.put(file, read);
      warnOnce(file, "could not be read within " + READ_TIMEOUT.toMillis() + " ms (a FIFO?)");
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading " + file);
    } catch (ExecutionException e) {
      return readFailed(file, e.getCause());
    }
  }

  /** True when {@code file} is a regular file (not a link to one); anything else is warned of. */
  boolean isRegularFile(Path file) throws IOException {
    return attributes(file) != null;
  }

  /** When {@code file} was last modified, or null while it is missing or not a regular file. */
  FileTime modified(Path file) throws IOException {
    BasicFileAttributes attributes = attributes(file);
    return attributes == null ? null : attributes.lastModifiedTime();
  }

  private BasicFileAttributes attributes(Path file) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (attributes.isRegularFile()) {
      return attributes;
    }
    warnOnce(file, "is " + kind(file, attributes) + ", not a regular file");
    return null;
  }

  private static byte[] readBounded(Path file) throws IOException {
    try (FileChannel in =
        FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buffer = ByteBuffer.allocate(MAX_BYTES);
      while (buffer.hasRemaining() && in.read(buffer) >= 0) {
        // a regular file returns what it has, then -1
      }
      return Arrays.copyOf(buffer.array(), buffer.position());
    }
  }

  private byte[] readFailed(Path file, Throwable failure) throws IOException {
    if (failure instanceof NoSuchFileException) {
      return null; // removed since the check: as if it had not been there
    }
    if (failure instanceof IOException) {
      // replaced since the check: a link (O_NOFOLLOW fails with ELOOP), a directory, a socket
      warnOnce(file, "could not be read (" + failure.getMessage() + ")");
      return null;
    }
    throw new IOException("cannot read " + file + ": " + failure, failure);
  }

  private void warnOnce(Path file, String what) {
    if (warned.add(file + " " + what)) {
      log.warn("{} {}: ignored (only a regular file written by the payload is read)", file, what);
    }
  }

  private static String kind(Path file, BasicFileAttributes attributes) {
    if (attributes.isSymbolicLink()) {
      return "a symbolic link";
    }
    if (attributes.isDirectory()) {
      return "a directory";
    }
    try {
      // the file type bits of st_mode: the JDK's "unix" view, there on Linux
      int type =
          (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
      return switch (type) {
        case 0010000 -> "a FIFO";
        case 0140000 -> "a socket";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        default -> "a special file";
      };
    } catch (IOException | RuntimeException e) {
      return "a special file";
    }
  }
}
