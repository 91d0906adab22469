package io.datapass.cli.submit;

import io.datapass.common.ConfigException;
import io.datapass.transfer.storage.OutputNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * A local directory zipped for {@code --input-dir}. The same files give the same bytes (entries in
 * name order, one fixed time, the same modes): a second submission of the same directory under the
 * same name finds its zip already stored instead of failing on "other content". The executable bit
 * is kept; the downloader restores it when it unpacks.
 *
 * @param files regular files in the zip
 * @param bytes their total size
 */
record InputArchive(Path zip, int files, long bytes) {
  /** 1980-01-02 00:00 in every time zone: DOS time, as zip keeps it, is local time. */
  private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 2, 0, 0);

  private static final int DIRECTORY = 040755;
  private static final int FILE = 0100644;
  private static final int EXECUTABLE = 0100755;

  /** Zips {@code dir} into {@code zip}; anything but regular files and directories is refused. */
  static InputArchive of(Path dir, Path zip) throws ConfigException, IOException {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException("--input-dir " + dir + ": not a directory");
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        if (path.equals(dir)) {
          continue;
        }
        BasicFileAttributes attributes =
            Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String name = dir.relativize(path).toString(); // '\\' is a character on Linux, kept
        String refusal = OutputNames.refusal(name);
        if (refusal != null) {
          throw new ConfigException("--input-dir: " + OutputNames.leftOut(name, refusal));
        }
        if (attributes.isDirectory()) {
          names.add(name + "/");
        } else if (attributes.isRegularFile()) {
          names.add(name);
        } else {
          throw new ConfigException(
              "--input-dir: "
                  + path
                  + " is "
                  + (attributes.isSymbolicLink() ? "a symbolic link" : "a special file")
                  + "; only regular files and directories are zipped");
        }
      }
    }
    names.sort(null);
    long time = FIXED_TIME.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    int files = 0;
    long bytes = 0;
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
      for (String name : names) {
        Path path = dir.resolve(name);
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setTime(time);
        if (name.endsWith("/")) {
          entry.setUnixMode(DIRECTORY);
          out.putArchiveEntry(entry);
        } else {
          entry.setMethod(ZipArchiveEntry.DEFLATED);
          entry.setUnixMode(executable(path) ? EXECUTABLE : FILE);
          out.putArchiveEntry(entry);
          try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            bytes += in.transferTo(out);
          }
          files++;
        }
        out.closeArchiveEntry();
      }
    }
    return new InputArchive(zip, files, bytes);
  }

  private static boolean executable(Path file) throws IOException {
    return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
        .contains(PosixFilePermission.OWNER_EXECUTE);
  }
}
