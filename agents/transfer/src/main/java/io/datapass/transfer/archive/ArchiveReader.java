package io.datapass.transfer.archive;

import io.datapass.transfer.archive.ArchiveEntry.Kind;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Walks the entries of a zip or tar archive in order, handing each with its data to a consumer. */
final class ArchiveReader {
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;

  interface EntryConsumer {
    void accept(ArchiveEntry entry, InputStream data) throws IOException;
  }

  private ArchiveReader() {}

  static void read(Path archive, ArchiveFormat format, EntryConsumer consumer) throws IOException {
    if (format == ArchiveFormat.ZIP) {
      readZip(archive, consumer);
    } else {
      readTar(archive, format, consumer);
    }
  }

  private static void readZip(Path archive, EntryConsumer consumer) throws IOException {
    try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
      Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
      while (entries.hasMoreElements()) {
        ZipArchiveEntry entry = entries.nextElement();
        int mode = entry.getUnixMode();
        if (entry.isUnixSymlink()) {
          String target;
          try (InputStream in = zip.getInputStream(entry)) {
            target = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
          }
          consumer.accept(
              new ArchiveEntry(entry.getName(), Kind.SYMLINK, target, mode),
              InputStream.nullInputStream());
          continue;
        }
        int type = mode & S_IFMT;
        Kind kind =
            entry.isDirectory() || type == S_IFDIR
                ? Kind.DIRECTORY
                : type == 0 || type == S_IFREG ? Kind.FILE : Kind.SPECIAL;
        try (InputStream in =
            kind == Kind.FILE ? zip.getInputStream(entry) : InputStream.nullInputStream()) {
          consumer.accept(new ArchiveEntry(entry.getName(), kind, null, mode & 07777), in);
        }
      }
    }
  }

  private static void readTar(Path archive, ArchiveFormat format, EntryConsumer consumer)
      throws IOException {
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        InputStream decompressed = decompress(file, format);
        TarArchiveInputStream tar = new TarArchiveInputStream(decompressed)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        consumer.accept(
            new ArchiveEntry(
                entry.getName(), kindOf(entry), entry.getLinkName(), entry.getMode() & 07777),
            tar);
      }
    }
  }

  private static InputStream decompress(InputStream in, ArchiveFormat format) throws IOException {
    return switch (format) {
      case TAR_GZ -> new GzipCompressorInputStream(in, true);
      case TAR_BZIP2 -> new BZip2CompressorInputStream(in, true);
      default -> in;
    };
  }

  private static Kind kindOf(TarArchiveEntry entry) {
    if (entry.isSymbolicLink()) {
      return Kind.SYMLINK;
    }
    if (entry.isLink()) {
      return Kind.HARDLINK;
    }
    if (entry.isDirectory()) {
      return Kind.DIRECTORY;
    }
    if (entry.isFile() && !entry.isCharacterDevice() && !entry.isBlockDevice() && !entry.isFIFO()) {
      return Kind.FILE;
    }
    return Kind.SPECIAL;
  }
}
