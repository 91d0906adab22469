package io.datapass.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.transfer.testing.FakeGcsServer;
import io.datapass.transfer.testing.FaultInjectingProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against fake-gcs-server behind a proxy that injects the transient failures real storage
 * has.
 */
class DownloaderTransientFailuresIT {
  private static final Predicate<FaultInjectingProxy.Request> LISTING =
      r -> r.method().equals("GET") && r.path().equals("/storage/v1/b/inputs/o");
  private static FakeGcsServer gcs;

  @TempDir Path dir;
  private FaultInjectingProxy proxy;

  @BeforeAll
  static void startServer(@TempDir Path serverDir) throws Exception {
    gcs = FakeGcsServer.start(serverDir).createBucket("inputs");
    gcs.put("inputs", "dataset/a.txt", "alpha".getBytes());
    gcs.put("inputs", "dataset/sub/b.txt", "beta".getBytes());
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (gcs != null) {
      gcs.close();
    }
  }

  @BeforeEach
  void startProxy() throws IOException {
    proxy = FaultInjectingProxy.to(gcs.endpoint());
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  @Test
  void aDirectoryInputWhoseListingIsAnswered503OnceIsFetched() throws IOException {
    proxy.failNext(LISTING, 503, 1);
    Path manifest =
        Files.writeString(
            dir.resolve("manifest.yaml"),
            "inputs:\n  - source: gs://inputs/dataset/\n    target: ds\n");

    AgentRun run =
        AgentRun.of(
            AgentRun.args(
                manifest,
                dir.resolve("input"),
                dir.resolve("ready"),
                "--gcs-endpoint",
                proxy.endpoint(),
                "--retries",
                "2"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(dir.resolve("input/ds/a.txt")).hasContent("alpha");
    assertThat(dir.resolve("input/ds/sub/b.txt")).hasContent("beta");
    assertThat(proxy.requests(LISTING)).hasSize(2);
  }
}
