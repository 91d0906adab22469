package io.datapass.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.xrootd.testing.XrootdTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent fetching root:// inputs from Debian's xrootd on loopback. */
class DownloaderXrootdIT {
  @TempDir Path dir;

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
