package io.datapass.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
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
    Files.writeString(Files.createDirectories(out.resolve("hists")).resolve("pt.txt"), "pt histogram");
    Files.write(out.resolve("events.root"), new byte[300_000]);
    Files.createDirectories(out.resolve("empty"));
    Files.writeString(dir.resolve("secret.txt"), "not the job's");
    Files.createSymbolicLink(out.resolve("link-out"), dir.resolve("secret.txt"));

    OutputTree tree = OutputTree.scan(out);
    Path zip = dir.resolve("job-1-output.zip");
    tree.zipTo(zip, 1);

    Map<String, byte[]> entries = entries(Files.readAllBytes(zip));
    assertThat(entries.keySet()).containsExactly("empty/", "events.root", "hists/", "hists/pt.txt");
    assertThat(entries.get("events.root")).isEqualTo(new byte[300_000]);
    assertThat(new String(entries.get("hists/pt.txt"), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("pt histogram");
    assertThat(tree.skipped()).containsExactly("link-out");
    assertThat(tree.bytes()).isEqualTo(300_000 + 12);
    assertThat(dir.resolve(".job-1-output.zip.part")).doesNotExist();
  }

  @Test
  void storedWithoutCompressionAtLevelZero() throws Exception {
    Path out = Files.createDirectories(dir.resolve("output"));
    Files.write(out.resolve("zeros.bin"), new byte[1_000_000]);
    OutputTree tree = OutputTree.scan(out);
    tree.zipTo(dir.resolve("fast.zip"), 1);
    tree.zipTo(dir.resolve("stored.zip"), 0);
    assertThat(Files.size(dir.resolve("fast.zip"))).isLessThan(100_000);
    assertThat(Files.size(dir.resolve("stored.zip"))).isGreaterThan(1_000_000);
    assertThat(entries(Files.readAllBytes(dir.resolve("stored.zip"))).get("zeros.bin")).hasSize(1_000_000);
  }
}
