package io.datapass.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archive bombs against the packaged agent in its own JVM with the image's flags (a 64 MiB heap):
 * each is refused naming the limit and how to raise it, with exit 2 (no rerun unpacks it).
 */
class ArchiveBombIT {
  @TempDir Path dir;

  private record Packaged(int exitCode, String out, String err) {}

  private Packaged runPackaged(Path archive, String... extra) throws Exception {
    Path manifest =
        Files.writeString(
            dir.resolve("inputs.yaml"),
            "inputs:\n  - source: " + archive + "\n    unpack: true\n    target: unpacked\n");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + Path.of("../jvm.options").toAbsolutePath(),
                "-jar",
                Path.of("target/downloader.jar").toAbsolutePath().toString(),
                "--manifest",
                manifest.toString(),
                "--dest",
                dir.resolve("input").toString(),
                "--ready-file",
                dir.resolve("ready").toString()));
    command.addAll(List.of(extra));
    Path out = dir.resolve("stdout.json");
    Path err = dir.resolve("stderr.log");
    Process agent =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(agent.waitFor(120, TimeUnit.SECONDS)).as("agent finished").isTrue();
    return new Packaged(agent.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void halfAMillionEmptyEntriesAreRefusedBeforeTheHeapFillsUp() throws Exception {
    Path zip = dir.resolve("many.zip");
    try (ZipOutputStream out =
        new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(zip), 1 << 16))) {
      out.setLevel(0);
      for (int i = 0; i < 500_000; i++) {
        out.putNextEntry(new ZipEntry("d/e" + i));
        out.closeEntry();
      }
    }

    Packaged run = runPackaged(zip);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains("many.zip", "more than the 50000 entries allowed", "--max-unpack-entries")
        .doesNotContain("OutOfMemoryError");
    assertThat(new ObjectMapper().readTree(run.out()).get("status").asText()).isEqualTo("failed");
    assertThat(dir.resolve("ready")).doesNotExist();
  }

  @Test
  void aDeflateBombIsRefusedByItsRatioLongBeforeTheByteCap() throws Exception {
    Path zip = dir.resolve("bomb.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("zeros.bin"));
      writeZeros(out, 1L << 30);
      out.closeEntry();
    }
    assertThat(Files.size(zip)).isLessThan(2 << 20);

    Packaged run = runPackaged(zip);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("bomb.zip", "200 times its size", "--max-unpack-ratio");
    try (var left = Files.walk(dir.resolve("input"))) {
      assertThat(left.filter(Files::isRegularFile)).isEmpty();
    }
  }

  private static void writeZeros(OutputStream out, long bytes) throws IOException {
    byte[] zeros = new byte[1 << 20];
    for (long left = bytes; left > 0; left -= zeros.length) {
      out.write(zeros, 0, (int) Math.min(zeros.length, left));
    }
  }
}
