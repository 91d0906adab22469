package io.datapass.transfer.engine;

import io.datapass.transfer.checksum.ChecksumSet;
import io.datapass.transfer.storage.RemoteObject;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The temporary file a download is written to, next to its final name ({@link PartialName}). The
 * name depends on the source and the object version, so a restarted agent resumes its own partial
 * bytes and never those of another version of the object.
 */
final class PartialFile implements AutoCloseable {
  /** Smaller buffers are hashed inline: handing them to another thread costs more than it saves. */
  private static final int PARALLEL_HASH_MIN = 256 << 10;

  private final Path path;
  private final FileChannel channel;
  private ChecksumSet checksums;
  private long size;
  private boolean inherited;

  private PartialFile(Path path, FileChannel channel, ChecksumSet checksums, boolean inherited) {
    this.path = path;
    this.channel = channel;
    this.checksums = checksums;
    this.inherited = inherited;
  }

  /**
   * Opens (or creates) the partial file for {@code object}, hashing bytes already there, and
   * removes the partial files of other versions of the object that an earlier run left.
   */
  static PartialFile open(
      Path target,
      RemoteObject object,
      ChecksumSet checksums,
      int bufferSize,
      LeftoverPartials leftovers)
      throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(
        directory)) { // createDirectories on an existing one throws (and catches) per file
      Files.createDirectories(directory);
    }
    Path path = pathFor(target, object);
    boolean ours = leftovers.openedBefore(path);
    for (Path other : leftovers.swap(target, path)) {
      if (!other.getFileName().equals(path.getFileName())) {
        Files.deleteIfExists(other);
      }
    }
    FileChannel channel = openWithoutLinks(path);
    long size = channel.size();
    if (object.sizeKnown() && size > object.size()) {
      channel.truncate(0);
      size = 0;
    }
    PartialFile partial = new PartialFile(path, channel, checksums, !ours && size > 0);
    partial.hashExisting(size, bufferSize);
    return partial;
  }

  /**
   * Opens the file itself, never what a link or a second hard link planted under its predictable
   * name leads to: anything but a plain regular file found there is removed first.
   */
  private static FileChannel openWithoutLinks(Path path) throws IOException {
    BasicFileAttributes found;
    try {
      found = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      found = null;
    }
    if (found != null
        && (!found.isRegularFile()
            || (Integer) Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS) > 1)) {
      Files.delete(path); // the link itself, or an empty directory; a full one fails here
      found = null;
    }
    return found == null
        ? FileChannel.open(
            path,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)
        : FileChannel.open(
            path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  }

  static Path pathFor(Path target, RemoteObject object) {
    return PartialName.of(target, object.uri().toString(), object.version());
  }

  long size() {
    return size;
  }

  Path path() {
    return path;
  }

  ChecksumSet checksums() {
    return checksums;
  }

  /** True while the file holds bytes an earlier run (or a payload) left, not this fetcher. */
  boolean inherited() {
    return inherited;
  }

  /**
   * Hashes and appends the buffer's remaining bytes, consuming them. With a costly algorithm (md5,
   * sha256), a large buffer is hashed on {@code hashing} while this thread writes it; the cheap
   * ones are faster inline than a hand-over to another thread (crc32c over HTTP lost 0.3 s per GiB
   * to it).
   */
  void append(ByteBuffer bytes, ExecutorService hashing) throws IOException {
    int length = bytes.remaining();
    boolean parallel = length >= PARALLEL_HASH_MIN && checksums.costly();
    Future<?> hashed = parallel ? hashing.submit(() -> checksums.update(bytes)) : null;
    if (hashed == null) {
      checksums.update(bytes);
    }
    ByteBuffer writing = bytes.duplicate();
    while (writing.hasRemaining()) {
      channel.write(writing, size + (length - writing.remaining()));
    }
    if (hashed != null) {
      await(hashed);
    }
    bytes.position(bytes.limit());
    size += length;
  }

  private static void await(Future<?> hashed) throws IOException {
    try {
      hashed.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing");
    } catch (ExecutionException e) {
      throw new IllegalStateException("hashing failed", e.getCause());
    }
  }

  /** Drops everything written: the source could not resume and starts from byte 0. */
  void restart() throws IOException {
    channel.truncate(0);
    size = 0;
    checksums = checksums.reset();
    inherited = false;
  }

  /** Moves the file to its final name atomically, flushing it to disk first if {@code fsync}. */
  void commit(Path target, boolean fsync) throws IOException {
    if (fsync) {
      channel.force(false);
    }
    channel.close();
    Files.move(
        path,
        target,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  void delete() throws IOException {
    channel.close();
    Files.deleteIfExists(path);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void hashExisting(long existing, int bufferSize) throws IOException {
    if (existing == 0) {
      return;
    }
    // Read through the channel opened without links, not the name, which could be swapped.
    ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
    while (size < existing) {
      buffer.clear().limit((int) Math.min(bufferSize, existing - size));
      int n = channel.read(buffer, size);
      if (n < 0) {
        break;
      }
      checksums.update(buffer.array(), 0, n);
      size += n;
    }
    channel.truncate(size);
  }
}
