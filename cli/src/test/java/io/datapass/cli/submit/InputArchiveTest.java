package io.datapass.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.common.ConfigException;
import io.datapass.transfer.archive.ArchiveExtractor;
import io.datapass.transfer.archive.ExtractionLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputArchiveTest {
  @TempDir Path dir;

  private Path tree(String name) throws Exception {
    Path root = Files.createDirectories(dir.resolve(name));
    Files.createDirectories(root.resolve("config/empty"));
    Files.writeString(root.resolve("config/run.cfg"), "events = 10\n");
    Files.writeString(root.resolve("a-b.txt"), "dash\n");
    Files.writeString(root.resolve("run.sh"), "#!/bin/sh\necho run\n");
    Files.setPosixFilePermissions(
        root.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    return root;
  }

  @Test
  void theSameFilesGiveTheSameBytesWhateverTheirTimesAndTheTimeZone() throws Exception {
    Path first = tree("first");
    Path second = tree("second");
    Files.setLastModifiedTime(
        second.resolve("config/run.cfg"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
    TimeZone zone = TimeZone.getDefault();
    InputArchive one;
    InputArchive two;
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
      one = InputArchive.of(first, dir.resolve("one.zip"));
      TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
      two = InputArchive.of(second, dir.resolve("two.zip"));
    } finally {
      TimeZone.setDefault(zone);
    }

    assertThat(Files.readAllBytes(one.zip())).isEqualTo(Files.readAllBytes(two.zip()));
    assertThat(one.files()).isEqualTo(3);
    assertThat(one.bytes()).isEqualTo(12 + 5 + 19);
  }

  @Test
  void aNameWithABackslashIsRefusedNotReadOutsideTheDirectory() throws Exception {
    Path root = tree("t");
    Files.writeString(dir.resolve("outside-secret.txt"), "secret");
    Files.writeString(root.resolve("..\\outside-secret.txt"), "mine");

    assertThatThrownBy(() -> InputArchive.of(root, dir.resolve("t.zip")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--input-dir: \"..\\\\outside-secret.txt\" left out");
  }

  @Test
  void entriesAreInNameOrderWithTheirDirectories() throws Exception {
    InputArchive archive = InputArchive.of(tree("t"), dir.resolve("t.zip"));

    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(archive.zip().toFile())) {
      zip.stream().forEach(e -> names.add(e.getName()));
    }
    assertThat(names)
        .containsExactly("a-b.txt", "config/", "config/empty/", "config/run.cfg", "run.sh");
  }

  @Test
  void theDownloaderUnpacksItWithTheExecutableBitKept() throws Exception {
    InputArchive archive = InputArchive.of(tree("t"), dir.resolve("t.zip"));
    Path unpacked = Files.createDirectories(dir.resolve("unpacked"));

    new ArchiveExtractor(ExtractionLimits.DEFAULT).extract(archive.zip(), unpacked);

    assertThat(unpacked.resolve("config/run.cfg")).hasContent("events = 10");
    assertThat(unpacked.resolve("config/empty")).isDirectory();
    assertThat(Files.isExecutable(unpacked.resolve("run.sh"))).isTrue();
    assertThat(Files.getPosixFilePermissions(unpacked.resolve("a-b.txt")))
        .doesNotContain(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
  }

  @Test
  void aSymbolicLinkIsRefusedNamingIt() throws Exception {
    Path root = tree("t");
    Files.createSymbolicLink(root.resolve("config/secrets"), Path.of("/etc"));

    assertThatThrownBy(() -> InputArchive.of(root, dir.resolve("t.zip")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(root.resolve("config/secrets") + " is a symbolic link");
  }
}
