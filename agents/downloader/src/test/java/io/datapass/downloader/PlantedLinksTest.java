package io.datapass.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Links a payload planted in the input directory or next to the ready file before a restart never
 * make the downloader write outside them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlantedLinksTest {
  @TempDir Path dir;
  private Path input;
  private Path elsewhere;
  private Path source;

  @BeforeEach
  void plant() throws IOException {
    input = Files.createDirectory(dir.resolve("input"));
    elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    source = Files.writeString(dir.resolve("x.bin"), "payload data");
  }

  private AgentRun run(String manifestYaml) throws IOException {
    Path manifest = Files.writeString(dir.resolve("inputs.yaml"), manifestYaml);
    return AgentRun.of(AgentRun.args(manifest, input, dir.resolve("ready"), "--retries", "0"));
  }

  private void assertNothingIn(Path directory) throws IOException {
    try (var left = Files.list(directory)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aLinkedDirectoryInTheTargetIsRefused() throws IOException {
    Files.createSymbolicLink(input.resolve("data"), elsewhere);

    AgentRun run = run("inputs:\n  - source: " + source + "\n    target: data/x.bin\n");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(input.resolve("data") + " is a symbolic link");
    assertNothingIn(elsewhere);
    assertThat(dir.resolve("ready")).doesNotExist();
  }

  @Test
  void aLinkedUnpackTargetIsRefused() throws IOException {
    Files.createSymbolicLink(input.resolve("unpacked"), elsewhere);
    Path zip = dir.resolve("in.zip");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry("a.txt"));
      out.write("a".getBytes(StandardCharsets.UTF_8));
    }
    Files.write(zip, bytes.toByteArray());

    AgentRun run =
        run("inputs:\n  - source: " + zip + "\n    unpack: true\n    target: unpacked\n");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("is a symbolic link");
    assertNothingIn(elsewhere);
  }

  @Test
  void aLinkPlantedAtTheReadyFilesTemporaryNameIsNotWrittenThrough() throws IOException {
    Path victim = Files.writeString(elsewhere.resolve("victim"), "keep me");
    Files.createSymbolicLink(dir.resolve(".ready.tmp"), victim);

    AgentRun run = run("inputs:\n  - source: " + source + "\n");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(victim).hasContent("keep me");
    assertThat(Files.isSymbolicLink(dir.resolve("ready"))).isFalse();
    assertThat(Files.readString(dir.resolve("ready"))).contains("\"status\":\"ok\"");
  }
}
