package io.datapass.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputTreeTest {
  @TempDir Path dir;

  /** The zip's entries in order: name to content (directories to null). */
  static Map<String, byte[]> entries(byte[] zip) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        entries.put(entry.getName(), entry.isDirectory() ? null : in.readAllBytes());
      }
    }
    return entries;
  }

  @Test
  void zipsFilesAndDirectoriesInNameOrderAndLeavesLinksOut() throws Exception {
    Path out = Files.createDirectories(dir.resolve("output"));
    Files.writeString(
        Files.createDirectories(out.resolve("hists")).resolve("pt.txt"), "pt histogram");
    Files.write(out.resolve("events.root"), new byte[300_000]);
    Files.createDirectories(out.resolve("empty"));
    Files.writeString(dir.resolve("secret.txt"), "not the job's");
    Files.createSymbolicLink(out.resolve("link-out"), dir.resolve("secret.txt"));

    OutputTree tree = OutputTree.scan(out);
    Map<String, byte[]> entries = entries(zip(tree, 1));
    assertThat(entries.keySet()).containsExactly("empty/", "events.root", "hists/", "hists/pt.txt");
    assertThat(entries.get("events.root")).isEqualTo(new byte[300_000]);
    assertThat(new String(entries.get("hists/pt.txt"), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("pt histogram");
    assertThat(tree.skipped()).containsExactly("link-out");
    assertThat(tree.bytes()).isEqualTo(300_000 + 12);
  }

  /** The tree zipped into memory. */
  private static byte[] zip(OutputTree tree, int level) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    tree.zipTo(out, level);
    return out.toByteArray();
  }

  @Test
  void aFileSwappedForALinkAfterTheScanIsNotReadThroughIt() throws Exception {
    Path out = Files.createDirectories(dir.resolve("output"));
    Path file = Files.writeString(out.resolve("result.txt"), "result");
    Path secret = Files.writeString(dir.resolve("secret.txt"), "not the job's");
    OutputTree tree = OutputTree.scan(out);
    Files.delete(file);
    Files.createSymbolicLink(file, secret);

    assertThatThrownBy(() -> zip(tree, 1))
        .isInstanceOf(io.datapass.transfer.storage.TransferException.class)
        .hasMessage(file + " is a symbolic link: not read through it");
  }

  @Test
  void aDirectorySwappedForALinkAfterTheScanIsNotReadThroughIt() throws Exception {
    Path out = Files.createDirectories(dir.resolve("output"));
    Path d = Files.createDirectories(out.resolve("d"));
    Files.writeString(d.resolve("key.json"), "own");
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("key.json"), "SECRET");
    OutputTree tree = OutputTree.scan(out);
    Files.move(d, dir.resolve("d.real"));
    Files.createSymbolicLink(d, secrets);

    assertThatThrownBy(() -> zip(tree, 1))
        .isInstanceOf(io.datapass.transfer.storage.TransferException.class)
        .hasMessage(d.resolve("key.json") + ": d is a symbolic link: not read through it");
  }

  @Test
  void collidingOrEscapingNamesAreLeftOutNotRewritten() throws Exception {
    Path out = Files.createDirectories(dir.resolve("output"));
    Files.writeString(Files.createDirectories(out.resolve("x")).resolve("y"), "x/y");
    Files.writeString(out.resolve("x\\y"), "backslash");
    Files.writeString(out.resolve("..\\..\\evil.txt"), "evil");

    OutputTree tree = OutputTree.scan(out);
    assertThat(entries(zip(tree, 1)).keySet()).containsExactly("x/", "x/y");
    assertThat(tree.skipped()).containsExactlyInAnyOrder("x\\y", "..\\..\\evil.txt");
  }

  @Test
  void namesThatAreNotUtf8AreLeftOutRatherThanCollide() throws Exception {
    Path out = Files.createDirectories(dir.resolve("output"));
    Files.writeString(out.resolve("résumé.txt"), "e acute");
    Files.writeString(out.resolve("rêsumê.txt"), "e circumflex");
    // bytes 0xff and 0xfe, which no UTF-8 name holds: Java cannot spell them, a shell can
    Process shell =
        new ProcessBuilder(
                "sh",
                "-c",
                "for n in \"$(printf 'bad\\377')\" \"$(printf 'bad\\376')\"; do echo x > \"$1/$n\"; done",
                "sh",
                out.toString())
            .inheritIO()
            .start();
    assertThat(shell.waitFor()).isZero();

    OutputTree tree = OutputTree.scan(out);
    assertThat(entries(zip(tree, 1)).keySet()).containsExactly("résumé.txt", "rêsumê.txt");
    assertThat(tree.skipped()).hasSize(2);
  }

  @Test
  void storedWithoutCompressionAtLevelZero() throws Exception {
    Path out = Files.createDirectories(dir.resolve("output"));
    Files.write(out.resolve("zeros.bin"), new byte[1_000_000]);
    OutputTree tree = OutputTree.scan(out);
    assertThat(zip(tree, 1)).hasSizeLessThan(100_000);
    byte[] stored = zip(tree, 0);
    assertThat(stored).hasSizeGreaterThan(1_000_000);
    assertThat(entries(stored).get("zeros.bin")).hasSize(1_000_000);
  }

  @Test
  void theSameOutputsMakeTheSameZipWithTheFilesTimesAndTheirSha256() throws Exception {
    Path out = Files.createDirectories(dir.resolve("output"));
    Path file =
        Files.writeString(
            Files.createDirectories(out.resolve("logs")).resolve("stdout.txt"), "done\n");
    FileTime written = FileTime.from(Instant.parse("2024-03-01T10:15:30Z"));
    Files.setLastModifiedTime(file, written);

    ByteArrayOutputStream first = new ByteArrayOutputStream();
    Map<String, Checksum> checksums = OutputTree.scan(out).zipTo(first, 1);
    Files.write(dir.resolve("first.zip"), first.toByteArray());

    assertThat(zip(OutputTree.scan(out), 1)).isEqualTo(first.toByteArray());
    assertThat(checksums)
        .containsExactly(Map.entry("logs/stdout.txt", ChecksumAlgorithm.SHA256.of(file)));
    try (ZipFile zip = new ZipFile(dir.resolve("first.zip").toFile())) {
      assertThat(zip.getEntry("logs/stdout.txt").getLastModifiedTime()).isEqualTo(written);
    }
  }
}
