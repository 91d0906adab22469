package io.datapass.transfer.storage.file;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.ExistingObject;
import io.datapass.transfer.storage.LocalFiles;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.ObjectSink;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.UploadStream;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Copies to a mounted filesystem ({@code file:} URIs and paths): a shared one such as NFS, CephFS
 * or a FUSE mount of grid storage, or a volume. The copy goes to a hidden temporary name in the
 * target directory (created as needed), is flushed to disk, read back and compared by crc32c with
 * the local file, and only then renamed to the final name; when it must not replace, it is
 * hard-linked to the final name instead, which fails if the name exists (a rename would replace
 * it).
 */
public final class FileSink implements ObjectSink {

  @Override
  public Checksum upload(Path file, URI target, boolean replace) throws IOException {
    if (!replace) {
      return uploadReplacing(file, target, null).checksum();
    }
    return store(file, target, FileSink::renameOver).checksum();
  }

  /**
   * A mounted filesystem has no rename on condition: the final name is looked at (size and crc32c)
   * just before the verified copy is renamed over it, which leaves a writer between the two unseen.
   */
  @Override
  public ExistingObject uploadReplacing(Path file, URI target, ExistingObject expected)
      throws IOException {
    return store(
        file,
        target,
        (temporary, destination) -> {
          if (expected == null) {
            return placeWithoutReplacing(temporary, destination, target);
          }
          Optional<ExistingObject> now = existing(target);
          if (now.isEmpty() || !now.get().isSameObject(expected)) {
            throw new ObjectExistsException(
                target, destination + " no longer holds " + expected + "; not replaced");
          }
          return renameOver(temporary, destination);
        });
  }

  /** Looked at just before the file is deleted, as {@link #uploadReplacing} does. */
  @Override
  public void deleteIfHolds(URI target, ExistingObject expected) throws IOException {
    Optional<ExistingObject> now = existing(target);
    if (now.isEmpty()) {
      return;
    }
    if (!now.get().isSameObject(expected)) {
      throw new ObjectExistsException(
          target, pathOf(target) + " no longer holds " + expected + "; not deleted");
    }
    Files.deleteIfExists(pathOf(target));
  }

  private static boolean renameOver(Path temporary, Path destination) throws IOException {
    Files.move(
        temporary,
        destination,
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    return true;
  }

  /** Puts the verified temporary copy under the final name; true when it was renamed. */
  private interface Placement {
    boolean place(Path temporary, Path destination) throws IOException;
  }

  /** Copies to a hidden temporary name, verifies the copy, then places it; what it stored. */
  private ExistingObject store(Path file, URI target, Placement placement) throws IOException {
    Path destination = pathOf(target);
    Path temporary = temporaryFor(destination);
    boolean renamed = false;
    try {
      Checksum local;
      long size;
      try (FileChannel in = LocalFiles.openToRead(file);
          FileChannel out =
              FileChannel.open(
                  temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        size = in.size();
        for (long copied = 0; copied < size; ) {
          copied += in.transferTo(copied, size - copied, out);
        }
        out.force(true);
        local = ChecksumAlgorithm.CRC32C.of(in);
      }
      Checksum stored = ChecksumAlgorithm.CRC32C.of(temporary);
      if (!stored.equals(local)) {
        throw TransferException.retryable(
            "copy of "
                + file
                + " to "
                + destination
                + " differs: stored "
                + stored
                + ", local "
                + local
                + " (did the file change while it was copied?)",
            null);
      }
      renamed = placement.place(temporary, destination);
      return new ExistingObject(size, stored);
    } finally {
      if (!renamed) {
        Files.deleteIfExists(temporary);
      }
    }
  }

  /**
   * A hidden, unique name next to {@code destination} (its directory created as needed): renamed
   * within one filesystem, a copy there appears whole under the final name.
   */
  static Path temporaryFor(Path destination) throws IOException {
    Files.createDirectories(destination.getParent());
    return destination.resolveSibling(
        "."
            + destination.getFileName()
            + "."
            + UUID.randomUUID().toString().substring(0, 8)
            + ".part");
  }

  /**
   * Gives the verified {@code temporary} its final name, replacing only when told. True when it was
   * renamed; false when it was linked (and is to be deleted).
   */
  static boolean place(Path temporary, Path destination, URI target, boolean replace)
      throws IOException {
    return replace
        ? renameOver(temporary, destination)
        : placeWithoutReplacing(temporary, destination, target);
  }

  /** True when {@code temporary} was renamed; false when it was linked (and is to be deleted). */
  private static boolean placeWithoutReplacing(Path temporary, Path destination, URI target)
      throws IOException {
    try {
      Files.createLink(destination, temporary);
      return false;
    } catch (FileAlreadyExistsException e) {
      throw exists(target);
    } catch (UnsupportedOperationException | IOException noHardLinks) {
      // some FUSE mounts have no hard links: a move without REPLACE_EXISTING checks the name just
      // before renaming
      try {
        Files.move(temporary, destination);
        return true;
      } catch (FileAlreadyExistsException e) {
        throw exists(target);
      }
    }
  }

  private static ObjectExistsException exists(URI target) {
    return new ObjectExistsException(target, Path.of(target) + " already exists; not replaced");
  }

  @Override
  public Optional<ExistingObject> existing(URI target) throws IOException {
    Path path = pathOf(target);
    // anything but a regular file (a link included) is no stored copy; the upload then meets the
    // name taken
    if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(new ExistingObject(Files.size(path), ChecksumAlgorithm.CRC32C.of(path)));
  }

  @Override
  public UploadStream openUpload(URI target, boolean replace) throws IOException {
    return FileUploadStream.open(pathOf(target), target, replace);
  }

  /** The path {@code target} names; one with '.' or '..' in it could lead outside its prefix. */
  private static Path pathOf(URI target) throws TransferException {
    Path path = Path.of(target);
    if (!path.normalize().equals(path)) {
      throw TransferException.permanent(target + ": not stored through '.' or '..'");
    }
    return path;
  }
}
