package io.datapass.transfer.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datapass.transfer.testing.Archives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile archives. Layout: {@code work/} holds the archive, {@code work/outside/} (a directory an
 * attacker would aim at) and {@code work/target/} (with a pre-existing file). After every rejection
 * the target holds only what it held before (no {@code .unpack-*} staging left) and nothing
 * appeared anywhere else under {@code work/}.
 */
@DisplayName("ArchiveExtractor rejects unsafe archives")
class UnsafeArchiveTest {
  @TempDir Path work;
  private Path target;
  private Path archive;
  private List<String> before;

  @BeforeEach
  void setUp() throws IOException {
    target = Files.createDirectories(work.resolve("deep/target"));
    Files.writeString(target.resolve("keep.txt"), "kept");
    Files.createDirectories(work.resolve("outside"));
    archive = work.resolve("archive.bin");
  }

  @AfterEach
  void nothingWrittenAnywhere() throws IOException {
    if (before != null) {
      assertThat(tree(work)).containsExactlyInAnyOrderElementsOf(before);
      assertThat(target.resolve("keep.txt")).hasContent("kept");
    }
  }

  private UnsafeArchiveException rejected(ExtractionLimits limits, String... reasonParts)
      throws IOException {
    before = tree(work);
    UnsafeArchiveException e =
        catchThrowableOfType(
            UnsafeArchiveException.class,
            () -> new ArchiveExtractor(limits).extract(archive, target));
    assertThat(e).as("extraction must be refused").isNotNull();
    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessageStartingWith("unsafe archive archive.bin: ");
    for (String part : reasonParts) {
      assertThat(e).hasMessageContaining(part);
    }
    return e;
  }

  private UnsafeArchiveException rejected(String... reasonParts) throws IOException {
    return rejected(ExtractionLimits.DEFAULT, reasonParts);
  }

  /** Every path under {@code root}, relative, links not followed. */
  private static List<String> tree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  @Nested
  @DisplayName("entry names")
  class Names {
    @Test
    void zipSlip() throws IOException {
      Archives.zip().file("ok.txt", "fine").file("../evil", "pwned").writeTo(archive);
      rejected("'../evil' escapes the target directory");
    }

    @Test
    void zipSlipDeepInsideAName() throws IOException {
      Archives.tar().file("a/b/../../../../outside/evil", "pwned").writeGzipTo(archive);
      rejected("escapes the target directory");
    }

    @Test
    void absolutePathInZip() throws IOException {
      Archives.zip().file("/tmp/evil", "pwned").writeTo(archive);
      rejected("'/tmp/evil' is an absolute path");
      assertThat(Path.of("/tmp/evil")).doesNotExist();
    }

    @Test
    void absolutePathInTar() throws IOException {
      Archives.tar().file("/tmp/evil", "pwned").writeTo(archive);
      rejected("'/tmp/evil' is an absolute path");
      assertThat(Path.of("/tmp/evil")).doesNotExist();
    }
  }

  @Nested
  @DisplayName("links")
  class Links {
    @Test
    void symlinkEscaping() throws IOException {
      Archives.tar().file("a.txt", "fine").symlink("link", "../../outside").writeGzipTo(archive);
      rejected("symlink 'link' -> '../../outside' points outside the target");
    }

    @Test
    void absoluteSymlink() throws IOException {
      Archives.zip().symlink("passwd", "/etc/passwd").writeTo(archive);
      rejected("symlink 'passwd' -> '/etc/passwd' points outside the target");
    }

    @Test
    void fileWrittenThroughAnEscapingSymlink() throws IOException {
      Archives.tar()
          .symlink("link", "../../../outside")
          .file("link/evil", "pwned")
          .writeTo(archive);
      rejected("points outside the target");
      assertThat(work.resolve("outside")).isEmptyDirectory();
    }

    @Test
    void symlinkChainThatEscapesOnlyWhenResolved() throws IOException {
      // Each target looks inside when read lexically; followed on disk, "up/.." is the target's
      // parent.
      Archives.tar()
          .symlink("a/self", "..")
          .symlink("up", "a/self/..")
          .symlink("upup", "up/..")
          .writeGzipTo(archive);
      rejected("symlink 'up' -> 'a/self/..' points outside the target");
    }

    @Test
    void entryPlacedBehindAnEscapingSymlinkChain() throws IOException {
      Files.writeString(work.resolve("deep/victim"), "precious");
      Archives.tar()
          .symlink("a/self", "..")
          .symlink("up", "a/self/..")
          .symlink("up2", "up/..")
          .symlink("up2/victim", "a")
          .writeGzipTo(archive);
      rejected("symlink 'up2/victim' lies behind a link that leads outside the target");
      assertThat(Files.isSymbolicLink(work.resolve("deep/victim"))).isFalse();
      assertThat(work.resolve("deep/victim")).hasContent("precious");
    }

    @Test
    void fileUnderAnInsideSymlinkIsRefusedNotRedirected() throws IOException {
      Archives.tar()
          .dir("real")
          .symlink("link", "real")
          .file("link/file.txt", "x")
          .writeTo(archive);
      rejected("symlink 'link' would replace a directory that holds other entries");
    }

    @Test
    void hardlinkEscaping() throws IOException {
      Files.writeString(work.resolve("outside/secret"), "secret");
      Archives.tar()
          .file("a.txt", "fine")
          .hardlink("copy", "../../outside/secret")
          .writeTo(archive);
      rejected("hard link 'copy' -> '../../outside/secret'", "escapes the target directory");
    }

    @Test
    void hardlinkToSomethingNotInTheArchive() throws IOException {
      Archives.tar().hardlink("copy", "missing").writeTo(archive);
      rejected("hard link 'copy' points to 'missing', not a file in the archive");
    }
  }

  @Nested
  @DisplayName("special files")
  class Special {
    @Test
    void characterDeviceInTar() throws IOException {
      Archives.tar().file("a.txt", "fine").charDevice("dev/null", 1, 3).writeGzipTo(archive);
      rejected("'dev/null' is a device, FIFO or other special file");
    }

    @Test
    void fifoInTar() throws IOException {
      Archives.tar().fifo("pipe").writeTo(archive);
      rejected("'pipe' is a device, FIFO or other special file");
    }

    @Test
    void characterDeviceInZip() throws IOException {
      Archives.zip().withMode("tty", 0020666).writeTo(archive);
      rejected("'tty' is a device, FIFO or other special file");
    }
  }

  @Nested
  @DisplayName("limits")
  class Limits {
    @Test
    void zipBombPastTheByteCap() throws IOException {
      Archives.zip().file("zeros.bin", new byte[8 << 20]).writeTo(archive);
      assertThat(Files.size(archive)).isLessThan(64 << 10); // a bomb: tiny archive, big output
      rejected(
          new ExtractionLimits(1 << 20, 100, 100_000),
          "expands beyond 1.0 MiB (--max-unpack-gib); raise it if the archive is trusted");
    }

    @Test
    void byteCapCountsAllFilesTogether() throws IOException {
      Archives.tar().file("a", new byte[600_000]).file("b", new byte[600_000]).writeGzipTo(archive);
      rejected(new ExtractionLimits(1 << 20, 100, 100_000), "expands beyond");
    }

    @Test
    void tooManyEntries() throws IOException {
      Archives.Zip zip = Archives.zip();
      for (int i = 0; i < 50; i++) {
        zip.file("f" + i, "x");
      }
      zip.writeTo(archive);
      rejected(
          new ExtractionLimits(1 << 20, 10, 100),
          "holds more than the 10 entries allowed; raise --max-unpack-entries");
    }

    @Test
    void tooManyEntriesInATarStream() throws IOException {
      Archives.Tar tar = Archives.tar();
      for (int i = 0; i < 50; i++) {
        tar.file("f" + i, "x");
      }
      tar.writeGzipTo(archive);
      rejected(new ExtractionLimits(1 << 20, 10, 100), "more than the 10 entries allowed");
    }

    @Test
    void aZipDirectoryUnderstatingItsEntryCountIsCountedRecordByRecord() throws IOException {
      Archives.Zip zip = Archives.zip();
      for (int i = 0; i < 50; i++) {
        zip.file("f" + i, "x");
      }
      zip.writeTo(archive);
      byte[] bytes = Files.readAllBytes(archive);
      int end = bytes.length - 22; // no comment: the end record is the last 22 bytes
      bytes[end + 8] = 1; // "entries on this disk" and "entries in total": 1, not 50
      bytes[end + 9] = 0;
      bytes[end + 10] = 1;
      bytes[end + 11] = 0;
      Files.write(archive, bytes);
      rejected(new ExtractionLimits(1 << 20, 10, 100), "more than the 10 entries allowed");
    }

    @Test
    void aCompressionBombIsRefusedByItsRatioPastTheFreeBytes() throws IOException {
      Archives.zip()
          .file("zeros.bin", new byte[(int) ExtractionLimits.RATIO_FREE_BYTES * 2])
          .writeTo(archive);
      rejected(
          new ExtractionLimits(1L << 40, 100, 200),
          "expands to more than 200 times its size",
          "--max-unpack-ratio), as a compression bomb does; raise it");
    }

    @Test
    void smallHighlyCompressibleFilesAreNotRefusedForTheirRatio() throws IOException {
      Archives.zip().file("zeros.bin", new byte[8 << 20]).writeTo(archive);
      assertThat(
              new ArchiveExtractor(new ExtractionLimits(1L << 40, 100, 2))
                  .extract(archive, target)
                  .bytes())
          .isEqualTo(8 << 20);
    }
  }
}
