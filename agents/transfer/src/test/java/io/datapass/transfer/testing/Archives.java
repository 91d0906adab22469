package io.datapass.transfer.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Builds zip and tar(.gz) archives for tests with commons-compress, including the hostile entries a
 * real tool would refuse to write: {@code ../} names, absolute names, links out of the tree,
 * devices.
 */
public final class Archives {
  private Archives() {}

  public static Tar tar() {
    return new Tar();
  }

  public static Zip zip() {
    return new Zip();
  }

  /** A tar archive, written plain or gzip-compressed. */
  public static final class Tar {
    private final List<TarArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    public Tar dir(String name) {
      return add(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true), null);
    }

    public Tar file(String name, String content) {
      return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public Tar file(String name, byte[] content) {
      TarArchiveEntry entry = new TarArchiveEntry(name, true); // keep absolute names as written
      entry.setSize(content.length);
      return add(entry, content);
    }

    public Tar executable(String name, String content) {
      file(name, content);
      entries.get(entries.size() - 1).setMode(0100755);
      return this;
    }

    public Tar symlink(String name, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
      entry.setLinkName(target);
      return add(entry, null);
    }

    public Tar hardlink(String name, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
      entry.setLinkName(target);
      return add(entry, null);
    }

    public Tar charDevice(String name, int major, int minor) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
      entry.setDevMajor(major);
      entry.setDevMinor(minor);
      return add(entry, null);
    }

    public Tar fifo(String name) {
      return add(new TarArchiveEntry(name, TarConstants.LF_FIFO, true), null);
    }

    public Path writeTo(Path file) throws IOException {
      try (OutputStream out = Files.newOutputStream(file)) {
        write(out);
      }
      return file;
    }

    public Path writeGzipTo(Path file) throws IOException {
      try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(file))) {
        write(out);
      }
      return file;
    }

    private void write(OutputStream out) throws IOException {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (int i = 0; i < entries.size(); i++) {
        tar.putArchiveEntry(entries.get(i));
        if (contents.get(i) != null) {
          tar.write(contents.get(i));
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }

    private Tar add(TarArchiveEntry entry, byte[] content) {
      entries.add(entry);
      contents.add(content);
      return this;
    }
  }

  /** A zip archive; unix modes go into the extra fields as Info-ZIP writes them. */
  public static final class Zip {
    private final List<ZipArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    public Zip dir(String name) {
      return add(new ZipArchiveEntry(name.endsWith("/") ? name : name + "/"), null);
    }

    public Zip file(String name, String content) {
      return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public Zip file(String name, byte[] content) {
      return add(new ZipArchiveEntry(name), content);
    }

    public Zip symlink(String name, String target) {
      ZipArchiveEntry entry = new ZipArchiveEntry(name);
      entry.setUnixMode(0120777);
      return add(entry, target.getBytes(StandardCharsets.UTF_8));
    }

    /** An entry with the given full unix mode, e.g. {@code 0020666} for a character device. */
    public Zip withMode(String name, int unixMode) {
      ZipArchiveEntry entry = new ZipArchiveEntry(name);
      entry.setUnixMode(unixMode);
      return add(entry, new byte[0]);
    }

    public Path writeTo(Path file) throws IOException {
      try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
        for (int i = 0; i < entries.size(); i++) {
          zip.putArchiveEntry(entries.get(i));
          if (contents.get(i) != null) {
            zip.write(contents.get(i));
          }
          zip.closeArchiveEntry();
        }
      }
      return file;
    }

    private Zip add(ZipArchiveEntry entry, byte[] content) {
      entries.add(entry);
      contents.add(content);
      return this;
    }
  }
}
