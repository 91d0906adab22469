package io.datapass.transfer.archive;

import io.datapass.transfer.archive.ArchiveEntry.Kind;
import io.datapass.transfer.storage.Sizes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Extracts zip and tar archives safely. Entries land in a hidden staging directory inside the
 * target first; only a fully accepted archive is moved into place, so a rejected one leaves nothing
 * behind. Rejected: absolute names, names or links that escape the target, devices and FIFOs, and
 * archives past the {@link ExtractionLimits}. Links are created after every regular file, so no
 * file is ever written through a link.
 */
public final class ArchiveExtractor {
  private final ExtractionLimits limits;

  public ArchiveExtractor(ExtractionLimits limits) {
    this.limits = limits;
  }

  public ExtractionResult extract(Path archive, Path target) throws IOException {
    ArchiveFormat format = ArchiveFormat.detect(archive);
    String name = archive.getFileName().toString();
    if (format == ArchiveFormat.ZIP) {
      ZipDirectory.requireWithin(archive, name, limits);
    }
    Files.createDirectories(target);
    Path staging = Files.createTempDirectory(target, ".unpack-");
    try {
      Staged staged = new Staged(name, staging, Files.size(archive));
      ArchiveReader.read(archive, format, staged::accept);
      staged.createLinks();
      moveInto(staging, target);
      return new ExtractionResult(staged.files, staged.bytes);
    } finally {
      deleteTree(staging);
    }
  }

  /** Writes accepted entries under the staging directory and keeps the counts. */
  private final class Staged {
    private final String archiveName;
    private final Path root;
    private final Path realRoot;
    private final long archiveBytes;
    private final List<ArchiveEntry> links = new ArrayList<>();
    private int entries;
    private int files;
    private long bytes;

    Staged(String archiveName, Path root, long archiveBytes) throws IOException {
      this.archiveName = archiveName;
      this.root = root;
      this.realRoot = root.toRealPath();
      this.archiveBytes = archiveBytes;
    }

    void accept(ArchiveEntry entry, InputStream data) throws IOException {
      if (++entries > limits.maxEntries()) {
        throw unsafe(
            "holds more than the "
                + limits.maxEntries()
                + " entries allowed; raise --max-unpack-entries if the archive is trusted");
      }
      Path path = resolveInside(entry.name(), entry.name());
      switch (entry.kind()) {
        case DIRECTORY -> Files.createDirectories(path);
        case FILE -> writeFile(path, entry, data);
        case SYMLINK, HARDLINK -> links.add(entry);
        case SPECIAL ->
            throw unsafe("'" + entry.name() + "' is a device, FIFO or other special file");
      }
    }

    private void writeFile(Path path, ArchiveEntry entry, InputStream data) throws IOException {
      Files.createDirectories(path.getParent());
      byte[] buffer = new byte[1 << 16];
      try (OutputStream out =
          Files.newOutputStream(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
        int n;
        while ((n = data.read(buffer)) >= 0) {
          bytes += n;
          checkExpansion();
          out.write(buffer, 0, n);
        }
      }
      if ((entry.mode() & 0100) != 0) {
        Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(path));
        permissions.add(PosixFilePermission.OWNER_EXECUTE);
        Files.setPosixFilePermissions(path, permissions);
      }
      files++;
    }

    private void checkExpansion() throws UnsafeArchiveException {
      if (bytes > limits.maxBytes()) {
        throw unsafe(
            "expands beyond "
                + Sizes.bytes(limits.maxBytes())
                + " (--max-unpack-gib); raise it if the archive is trusted");
      }
      if (bytes > ExtractionLimits.RATIO_FREE_BYTES
          && bytes > archiveBytes * (double) limits.maxRatio()) {
        throw unsafe(
            "expands to more than "
                + limits.maxRatio()
                + " times its size ("
                + Sizes.bytes(archiveBytes)
                + ", --max-unpack-ratio), as a compression bomb does; raise it if the archive is"
                + " trusted");
      }
    }

    void createLinks() throws IOException {
      for (ArchiveEntry link : links) {
        if (link.kind() == Kind.HARDLINK) {
          createHardLink(link);
        }
      }
      for (ArchiveEntry link : links) {
        if (link.kind() == Kind.SYMLINK) {
          createSymlink(link);
        }
      }
      // Links can chain ("up -> a/self/.." with "a/self -> .."): only with all of them on disk does
      // a target
      // resolve as it will for whoever follows it later, so check every one again, resolved, at the
      // end.
      for (ArchiveEntry link : links) {
        if (link.kind() == Kind.SYMLINK) {
          Path path = resolveInside(link.name(), link.name());
          if (Files.isSymbolicLink(path)
              && !onDisk(path.getParent().resolve(Files.readSymbolicLink(path)))
                  .startsWith(realRoot)) {
            throw unsafe(
                "symlink '"
                    + link.name()
                    + "' -> '"
                    + link.linkTarget()
                    + "' points outside the target");
          }
        }
      }
    }

    private void createHardLink(ArchiveEntry link) throws IOException {
      Path path = resolveInside(link.name(), link.name());
      Path existing =
          resolveInside(
              link.linkTarget(), "hard link '" + link.name() + "' -> '" + link.linkTarget() + "'");
      if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
        throw unsafe(
            "hard link '"
                + link.name()
                + "' points to '"
                + link.linkTarget()
                + "', not a file in the archive");
      }
      Files.createDirectories(path.getParent());
      Files.deleteIfExists(path);
      Files.createLink(path, existing);
    }

    private void createSymlink(ArchiveEntry link) throws IOException {
      Path path = resolveInside(link.name(), link.name());
      String target = link.linkTarget() == null ? "" : link.linkTarget();
      Path linkTarget = path.getFileSystem().getPath(target);
      if (target.isEmpty()
          || linkTarget.isAbsolute()
          || !path.getParent().resolve(linkTarget).normalize().startsWith(root)) {
        throw unsafe("symlink '" + link.name() + "' -> '" + target + "' points outside the target");
      }
      // Earlier links are on disk now: never create directories, delete or link through one leading
      // out.
      if (!onDisk(path.getParent()).startsWith(realRoot)) {
        throw unsafe(
            "symlink '" + link.name() + "' lies behind a link that leads outside the target");
      }
      Files.createDirectories(path.getParent());
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && !isEmptyDirectory(path)) {
        throw unsafe(
            "symlink '" + link.name() + "' would replace a directory that holds other entries");
      }
      Files.deleteIfExists(path);
      Files.createSymbolicLink(path, linkTarget);
    }

    /**
     * Where {@code path} leads on disk right now, links followed as the OS follows them: the real
     * path of its longest existing prefix with the rest appended.
     */
    private Path onDisk(Path path) throws IOException {
      Path existing = path;
      Path rest = path.getFileSystem().getPath("");
      while (existing != null && !Files.exists(existing)) {
        rest = existing.getFileName().resolve(rest);
        existing = existing.getParent();
      }
      return existing == null ? path.normalize() : existing.toRealPath().resolve(rest).normalize();
    }

    private Path resolveInside(String name, String what) throws UnsafeArchiveException {
      if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
        throw unsafe("entry with an empty or invalid name");
      }
      Path relative = root.getFileSystem().getPath(name);
      if (relative.isAbsolute() || name.startsWith("/")) {
        throw unsafe("'" + what + "' is an absolute path");
      }
      Path resolved = root.resolve(relative).normalize();
      if (!resolved.startsWith(root)) {
        throw unsafe("'" + what + "' escapes the target directory");
      }
      return resolved;
    }

    private UnsafeArchiveException unsafe(String reason) {
      return new UnsafeArchiveException(archiveName, reason);
    }
  }

  /**
   * Moves the staged tree into the target, merging directories; never follows a link out of the
   * target.
   */
  private static void moveInto(Path staging, Path target) throws IOException {
    Path realTarget = target.toRealPath();
    Files.walkFileTree(
        staging,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!dir.equals(staging)) {
              Path destination = target.resolve(staging.relativize(dir).toString());
              checkInside(destination.getParent(), realTarget);
              if (!Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(destination);
                Files.createDirectory(destination);
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Path destination = target.resolve(staging.relativize(file).toString());
            checkInside(destination.getParent(), realTarget);
            Files.move(
                file,
                destination,
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void checkInside(Path directory, Path realTarget) throws IOException {
    if (!directory.toRealPath().startsWith(realTarget)) {
      throw new UnsafeArchiveException(
          directory.toString(), "a link in the target leads outside it");
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> children = Files.list(dir)) {
      return children.findAny().isEmpty();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
