package io.datapass.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.xrootd.testing.XrootdTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent fetching root:// inputs from Debian's xrootd on loopback. */
class DownloaderXrootdIT {
  @TempDir Path dir;

  /**
   * The packaged agent with the container image's JVM flags (a 64 MiB heap, direct memory as large): four large
   * files read at once share one read-ahead budget instead of taking 32 MiB each (which ran out of heap).
   */
  @Test
  void fourLargeFilesAtOnceFitTheImageMemory() throws Exception {
    try (XrootdTestServer server = XrootdTestServer.standalone()) {
      byte[][] files = new byte[4][];
      StringBuilder manifest = new StringBuilder("inputs:\n");
      for (int i = 0; i < files.length; i++) {
        files[i] = new byte[40 << 20];
        new Random(i).nextBytes(files[i]);
        server.put("large/f" + i + ".bin", files[i]);
      }
      manifest.append("  - source: ").append(server.url("large/")).append('\n');
      Path manifestFile = Files.writeString(dir.resolve("manifest.yaml"), manifest);
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Process agent = new ProcessBuilder(java.toString(), "@" + Path.of("../jvm.options").toAbsolutePath(),
          "-jar", Path.of("target/downloader.jar").toAbsolutePath().toString(),
          "--manifest", manifestFile.toString(), "--dest", dir.resolve("input").toString(),
          "--ready-file", dir.resolve("ready").toString(), "--parallel", "4")
          .redirectOutput(dir.resolve("stdout.json").toFile())
          .redirectError(dir.resolve("stderr.log").toFile())
          .start();
      assertThat(agent.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(agent.exitValue()).as(Files.readString(dir.resolve("stderr.log"))).isZero();
      for (int i = 0; i < files.length; i++) {
        assertThat(dir.resolve("input/f" + i + ".bin")).hasBinaryContent(files[i]);
      }
      assertThat(dir.resolve("ready")).exists();
    }
  }

  @Test
  void fetchesFilesAndDirectoriesFromXrootd() throws Exception {
    try (XrootdTestServer server = XrootdTestServer.standalone()) {
      byte[] run = "event data ".repeat(100_000).getBytes(StandardCharsets.UTF_8);
      server.put("store/run1.root", run);
      server.put("store/calib/a.txt", "a".getBytes(StandardCharsets.UTF_8));
      server.put("store/calib/deep/b.txt", "b".getBytes(StandardCharsets.UTF_8));
      Adler32 adler = new Adler32();
      adler.update(run);
      String checksum = String.format("adler32:%08x", adler.getValue());
      Path manifest = dir.resolve("manifest.yaml");
      Files.writeString(manifest, "inputs:\n  - source: " + server.url("store/run1.root") + "\n    checksum: "
          + checksum + "\n  - source: " + server.url("store/calib/") + "\n    target: calib\n");
      AgentRun agent = AgentRun.of(AgentRun.args(manifest, dir.resolve("input"), dir.resolve("ready")));
      assertThat(agent.exitCode()).as(agent.err()).isZero();
      assertThat(dir.resolve("input/run1.root")).hasBinaryContent(run);
      assertThat(dir.resolve("input/calib/a.txt")).hasContent("a");
      assertThat(dir.resolve("input/calib/deep/b.txt")).hasContent("b");
      assertThat(new ObjectMapper().readTree(agent.out()).at("/files/0/checksum").asText()).isEqualTo(checksum);
    }
  }
}
