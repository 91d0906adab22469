package io.datapass.cli.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobId;
import io.datapass.cli.Run;
import io.datapass.cli.Run.Result;
import io.datapass.cli.TestApiServer;
import io.datapass.transfer.testing.FakeGcsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command ({@code target/datapass.jar} and its {@code lib/}) as a process of its own,
 * on each path that loads libraries of its own: listing and uploading to a real GCS server
 * (fake-gcs-server), installing, following and cancelling on a real kube-apiserver. A dependency
 * left out of {@code lib/} fails here, not in the tests that run the command in their own JVM.
 */
@Timeout(600)
class PackagedCommandIT {
  private static final String NS = "packaged";
  private static FakeGcsServer gcs;
  private static Path kubeconfig;

  @TempDir static Path dir;

  @BeforeAll
  static void servers() throws Exception {
    gcs = FakeGcsServer.start(dir);
    gcs.createBucket("runs").createBucket("jobs");
    gcs.put("runs", "2026/run-0.root", "0".getBytes(StandardCharsets.UTF_8));
    gcs.put("runs", "2026/run-1.root", "1".getBytes(StandardCharsets.UTF_8));
    kubeconfig = TestApiServer.userIn(NS, dir.resolve("user"));
  }

  @AfterAll
  static void stop() throws Exception {
    gcs.close();
  }

  private static String ship() {
    return Run.VALUES.resolve("ship.yaml").toString();
  }

  @Test
  void listsAGcsPrefixAndUploadsTheInputDirectory() throws Exception {
    Result listed =
        Run.isolated(dir)
            .jar(
                "submit",
                ship(),
                "--inputs",
                "gs://runs/2026/",
                "--gcs-endpoint",
                gcs.endpoint(),
                "--name",
                "listed",
                "--dry-run");
    assertThat(listed.code()).as(listed.toString()).isZero();
    assertThat(listed.out()).contains("gs://runs/2026/run-0.root", "gs://runs/2026/run-1.root");

    Path input = Files.createDirectories(dir.resolve("job-input"));
    Files.writeString(input.resolve("run.cfg"), "events = 10\n");
    Result submitted =
        Run.isolated(dir)
            .jar(
                "submit",
                ship(),
                "--input-dir",
                input.toString(),
                "--upload-input-to",
                "gs://jobs/inputs/",
                "--gcs-endpoint",
                gcs.endpoint(),
                "--name",
                "packed",
                "--kubeconfig",
                kubeconfig.toString());
    assertThat(submitted.code()).as(submitted.toString()).isZero();
    assertThat(gcs.storage().get(BlobId.of("jobs", "inputs/packed-input.zip"))).isNotNull();

    for (String[] follow :
        new String[][] {
          {"status", "packed"}, {"list"}, {"watch", "packed", "--timeout", "1"}, {"logs", "packed"}
        }) {
      String[] args = new String[follow.length + 2];
      System.arraycopy(follow, 0, args, 0, follow.length);
      args[follow.length] = "--kubeconfig";
      args[follow.length + 1] = kubeconfig.toString();
      Result followed = Run.isolated(dir).jar(args);
      assertThat(followed.err()).as(followed.toString()).doesNotContain("NoClassDefFound");
      assertThat(followed.code()).as(followed.toString()).isIn(0, 1);
    }
    Result cancelled =
        Run.isolated(dir).jar("cancel", "packed", "--kubeconfig", kubeconfig.toString());
    assertThat(cancelled.code()).as(cancelled.toString()).isZero();
  }

  /**
   * What a CI runner is given (README, integrations/gitlab): datapass.jar with its lib/ beside it
   * and the charts/ of the checkout, copied elsewhere and run from another directory.
   */
  @Test
  void theJarItsLibAndTheChartsCopiedElsewhereAreTheWholeCommand() throws Exception {
    Path installed = Files.createDirectories(dir.resolve("opt/datapass"));
    Files.copy(Path.of("target", "datapass.jar"), installed.resolve("datapass.jar"));
    copyTree(Path.of("target", "lib"), installed.resolve("lib"));
    copyTree(Run.CHARTS, installed.resolve("charts"));
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));

    Result rendered =
        Run.isolated(elsewhere)
            .env("DATAPASS_CHARTS", null)
            .jarAt(installed.resolve("datapass.jar"), "submit", ship(), "--name", "t", "--dry-run");

    assertThat(rendered.code()).as(rendered.toString()).isZero();
    assertThat(rendered.err()).contains("dry run: t");
  }

  private static void copyTree(Path from, Path to) throws java.io.IOException {
    try (var files = Files.walk(from, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }
}
