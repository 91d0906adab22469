package io.datapass.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.storage.BlobId;
import io.datapass.cli.Run;
import io.datapass.cli.Run.Result;
import io.datapass.cli.TestApiServer;
import io.datapass.transfer.testing.FakeGcsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --inputs PREFIX} listed and {@code --input-dir} uploaded through the transfer engine, on a
 * real GCS server (fake-gcs-server) and a real kube-apiserver.
 */
@Timeout(300)
class InputsInStorageIT {
  private static final String NS = "inputs";
  private static FakeGcsServer gcs;
  private static Path kubeconfig;

  @TempDir static Path dir;

  @BeforeAll
  static void servers() throws Exception {
    gcs = FakeGcsServer.start(dir);
    gcs.createBucket("runs").createBucket("jobs");
    for (String name :
        List.of("2026/run-2.root", "2026/run-0.root", "2026/sub/run-1.root", "2025/old.root")) {
      gcs.put("runs", name, name.getBytes(StandardCharsets.UTF_8));
    }
    gcs.put("runs", "2026/", new byte[0]); // a "directory" some tools make: no input
    kubeconfig = TestApiServer.userIn(NS, dir.resolve("user"));
  }

  @AfterAll
  static void stop() throws Exception {
    gcs.close();
  }

  /** The command as the user runs it; submit also gets the GCS server's address. */
  private static Result datapass(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    if (args[0].equals("submit")) {
      all.addAll(List.of("--gcs-endpoint", gcs.endpoint()));
    }
    return Run.isolated(dir).datapass(all.toArray(String[]::new));
  }

  private static String ship() {
    return Run.VALUES.resolve("ship.yaml").toString();
  }

  @Test
  void aPrefixIsListedIntoOneTaskPerObject() throws Exception {
    Result dry =
        datapass("submit", ship(), "--inputs", "gs://runs/2026/", "--name", "listed", "--dry-run");

    assertThat(dry.code()).as(dry.toString()).isZero();
    JsonNode tasks = Manifests.parse(dry.out()).inputManifest().path("tasks");
    List<String> sources = new ArrayList<>();
    tasks.forEach(t -> sources.add(t.at("/inputs/0/source").asText()));
    assertThat(sources)
        .containsExactly(
            "gs://runs/2026/run-0.root",
            "gs://runs/2026/run-2.root",
            "gs://runs/2026/sub/run-1.root");
    assertThat(Manifests.parse(dry.out()).job().at("/spec/completions").asInt()).isEqualTo(3);
  }

  @Test
  void anEmptyPrefixFailsTheSubmission() {
    Result empty = datapass("submit", ship(), "--inputs", "gs://runs/2030/", "--dry-run");

    assertThat(empty.code()).as(empty.toString()).isEqualTo(1);
    assertThat(empty.err()).contains("no objects under gs://runs/2030/");
  }

  @Test
  void theInputDirectoryIsStoredOnceAndNeverReplaced() throws Exception {
    Path input = Files.createDirectories(dir.resolve("job-input/config"));
    Files.writeString(input.resolve("run.cfg"), "events = 10\n");
    Files.writeString(input.resolve("../data.txt"), "1 2 3\n");
    byte[] expected =
        Files.readAllBytes(
            InputArchive.of(dir.resolve("job-input"), dir.resolve("expected.zip")).zip());

    Result first =
        datapass(
            "submit",
            ship(),
            "--input-dir",
            dir.resolve("job-input").toString(),
            "--upload-input-to",
            "gs://jobs/inputs/",
            "--name",
            "up-1");

    assertThat(first.code()).as(first.toString()).isZero();
    assertThat(first.err())
        .contains("2 file(s) zipped, stored at gs://jobs/inputs/up-1-input.zip (crc32c:");
    assertThat(stored("up-1-input.zip")).isEqualTo(expected);
    String manifest =
        TestApiServer.admin()
            .configMaps()
            .inNamespace(NS)
            .withName("up-1-inputs")
            .get()
            .getData()
            .get("manifest.yaml");
    assertThat(manifest).contains("source: gs://jobs/inputs/up-1-input.zip", "unpack: true");

    // a rerun of the same submission (after a cancel) finds the same zip already stored
    assertThat(datapass("cancel", "up-1").code()).isZero();
    Result rerun =
        datapass(
            "submit",
            ship(),
            "--input-dir",
            dir.resolve("job-input").toString(),
            "--upload-input-to",
            "gs://jobs/inputs/",
            "--name",
            "up-1");
    assertThat(rerun.code()).as(rerun.toString()).isZero();
    assertThat(rerun.err()).contains("already stored at gs://jobs/inputs/up-1-input.zip");

    // other files under the same name: refused, the stored zip kept, nothing installed
    assertThat(datapass("cancel", "up-1").code()).isZero();
    Files.writeString(input.resolve("run.cfg"), "events = 99\n");
    Result other =
        datapass(
            "submit",
            ship(),
            "--input-dir",
            dir.resolve("job-input").toString(),
            "--upload-input-to",
            "gs://jobs/inputs/",
            "--name",
            "up-1");
    assertThat(other.code()).as(other.toString()).isEqualTo(2);
    assertThat(other.err())
        .contains(
            "gs://jobs/inputs/up-1-input.zip already exists with other content",
            "choose another --name");
    assertThat(stored("up-1-input.zip")).isEqualTo(expected);
    assertThat(datapass("list").out()).doesNotContain("up-1");
  }

  private static byte[] stored(String name) {
    return gcs.storage().readAllBytes(BlobId.of("jobs", "inputs/" + name));
  }
}
