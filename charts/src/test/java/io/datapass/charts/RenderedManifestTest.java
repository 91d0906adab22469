package io.datapass.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest the chart renders, read and fetched by the real downloader from local files. */
@DisplayName("batch-job: the rendered manifest")
class RenderedManifestTest {

  @Test
  void eachIndexFetchesTheSharedInputsAndItsOwnTask(@TempDir Path dir) throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    for (String file : List.of("calib.db", "part-0.root", "part-1.root")) {
      Files.writeString(data.resolve(file), file);
    }
    Values values =
        Values.minimal()
            .with(
                "manifest.inputs",
                List.of(
                    Map.of(
                        "source", data.resolve("calib.db").toUri().toString(), "target", "calib/")))
            .with(
                "manifest.tasks",
                List.of(
                    Map.of(
                        "inputs",
                        List.of(Values.input(data.resolve("part-0.root").toUri().toString()))),
                    Map.of(
                        "inputs",
                        List.of(Values.input(data.resolve("part-1.root").toUri().toString())))));
    Path manifest =
        Files.writeString(dir.resolve("manifest.yaml"), Helm.batchJob("scan", values).manifest());

    Path input = Files.createDirectories(dir.resolve("index-1"));
    assertThat(download(manifest, input, Map.of("JOB_COMPLETION_INDEX", "1"))).isZero();
    assertThat(input.resolve("calib/calib.db")).hasContent("calib.db");
    assertThat(input.resolve("part-1.root")).hasContent("part-1.root");
    assertThat(input.resolve("part-0.root")).doesNotExist();
    assertThat(input.resolve("ready")).exists();
  }

  @Test
  void aSubmissionWithoutInputsHasNoDownloadForTheDownloaderRefusesAnEmptyManifest(
      @TempDir Path dir) throws IOException {
    Path empty = Files.writeString(dir.resolve("manifest.yaml"), "inputs: []\n");
    assertThat(download(empty, Files.createDirectories(dir.resolve("input")), Map.of()))
        .isEqualTo(2);

    for (String by : List.of("initContainer", "sidecar")) {
      Rendered rendered = Helm.batchJob("job-42", Values.withoutInputs().with("download.by", by));
      assertThat(rendered.initContainers())
          .extracting(c -> c.path("name").asText())
          .containsExactly("sidecar");
      assertThat(Rendered.strings(rendered.container("sidecar").path("args")))
          .doesNotContain("--manifest");
      // /startup would wait for a ready file nobody writes: the probe asks only that the sidecar
      // listens
      assertThat(rendered.container("sidecar").path("startupProbe").has("tcpSocket")).isTrue();
      assertThat(rendered.names()).noneMatch(n -> n.endsWith("-inputs"));
    }
  }

  /** The download role as the chart runs it, with the ready file beside the inputs. */
  private static int download(Path manifest, Path dest, Map<String, String> env) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(log, true, StandardCharsets.UTF_8);
    int code =
        io.datapass.downloader.Main.run(
            new String[] {
              "--manifest",
              manifest.toString(),
              "--dest",
              dest.toString(),
              "--ready-file",
              dest.resolve("ready").toString()
            },
            stream,
            stream,
            env);
    if (code != 0) {
      System.err.println(log.toString(StandardCharsets.UTF_8));
    }
    return code;
  }
}
