package io.datapass.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.transfer.testing.RefusedPort;
import io.datapass.xrootd.testing.XrootdTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent fetching root:// inputs from Debian's xrootd on loopback. */
class DownloaderXrootdIT {
  @TempDir Path dir;

  /**
   * The packaged agent with the container image's JVM flags (a 64 MiB heap, direct memory as
   * large): four large files read at once share one read-ahead budget instead of taking 32 MiB each
   * (which ran out of heap).
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
      Packaged agent =
          runPackaged(
              "--manifest",
              manifestFile.toString(),
              "--dest",
              dir.resolve("input").toString(),
              "--ready-file",
              dir.resolve("ready").toString(),
              "--parallel",
              "4");
      assertThat(agent.exitCode()).as(agent.err()).isZero();
      for (int i = 0; i < files.length; i++) {
        assertThat(dir.resolve("input/f" + i + ".bin")).hasBinaryContent(files[i]);
      }
      assertThat(dir.resolve("ready")).exists();
    }
  }

  /**
   * Tokens and signatures in input URLs reach neither the log (JDK messages included) nor the JSON
   * result.
   */
  @Test
  void secretsInUrlsAreNeitherLoggedNorReported() throws Exception {
    try (XrootdTestServer server = XrootdTestServer.standalone();
        RefusedPort refused = new RefusedPort()) {
      server.put("secret/ok.root", "payload".getBytes(StandardCharsets.UTF_8));
      String okToken = "ztn-SECRET-OK-12345";
      String missingToken = "ztn-SECRET-MISSING-678";
      String signature = "sig-SECRET-HTTP-999";
      int closedPort = refused.port();
      Path manifestFile =
          Files.writeString(
              dir.resolve("manifest.yaml"),
              "inputs:\n"
                  + "  - source: "
                  + server.url("secret/ok.root")
                  + "?authz="
                  + okToken
                  + "\n"
                  + "  - source: "
                  + server.url("secret/missing.root")
                  + "?authz="
                  + missingToken
                  + "\n"
                  + "  - source: http://127.0.0.1:"
                  + closedPort
                  + "/f.bin?X-Amz-Signature="
                  + signature
                  + "\n");
      Packaged agent =
          runPackaged(
              "--manifest",
              manifestFile.toString(),
              "--dest",
              dir.resolve("input").toString(),
              "--ready-file",
              dir.resolve("ready").toString(),
              "--retries",
              "0");
      assertThat(agent.exitCode()).as(agent.err()).isEqualTo(1);
      assertThat(dir.resolve("input/ok.root")).hasContent("payload");
      assertThat(agent.err())
          .contains("missing.root?authz=***", "not found", "X-Amz-Signature=***");
      // The summary (also the ready file's content) keeps sources without their query.
      assertThat(agent.out()).contains("ok.root\"").doesNotContain("ok.root?");
      assertThat(agent.out() + agent.err()).doesNotContain(okToken, missingToken, signature);
    }
  }

  /** The packaged agent's exit code, stdout and stderr. */
  private record Packaged(int exitCode, String out, String err) {}

  /**
   * Runs target/downloader.jar in its own JVM with the container image's flags
   * (agents/jvm.options).
   */
  private Packaged runPackaged(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + Path.of("../jvm.options").toAbsolutePath(),
                "-jar",
                Path.of("target/downloader.jar").toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "stdout", ".json");
    Path err = Files.createTempFile(dir, "stderr", ".log");
    Process agent =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(agent.waitFor(120, TimeUnit.SECONDS)).as("agent finished").isTrue();
    return new Packaged(agent.exitValue(), Files.readString(out), Files.readString(err));
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
      Files.writeString(
          manifest,
          "inputs:\n  - source: "
              + server.url("store/run1.root")
              + "\n    checksum: "
              + checksum
              + "\n  - source: "
              + server.url("store/calib/")
              + "\n    target: calib\n");
      AgentRun agent =
          AgentRun.of(AgentRun.args(manifest, dir.resolve("input"), dir.resolve("ready")));
      assertThat(agent.exitCode()).as(agent.err()).isZero();
      assertThat(dir.resolve("input/run1.root")).hasBinaryContent(run);
      assertThat(dir.resolve("input/calib/a.txt")).hasContent("a");
      assertThat(dir.resolve("input/calib/deep/b.txt")).hasContent("b");
      assertThat(new ObjectMapper().readTree(agent.out()).at("/files/0/checksum").asText())
          .isEqualTo(checksum);
    }
  }
}
