package io.datapass.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.cli.Run;
import io.datapass.cli.Run.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes stores no ConfigMap over 1 MiB: a submission whose inputs manifest would exceed it is
 * refused before anything is stored, even in a dry run; the summary says how many tasks run at
 * once.
 */
class ManyInputsTest {
  @TempDir Path home;

  private final String ship = Run.VALUES.resolve("ship.yaml").toString();

  private Result datapass(String... args) {
    return Run.isolated(home).datapass(args);
  }

  private Path inputs(int count) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(
          "root://eospublic.cern.ch//eos/experiment/ship/data/2026/run-%06d/events-%06d.root"
              .formatted(i, i));
    }
    return Files.write(home.resolve("many.txt"), lines);
  }

  @Test
  void inputsBeyondAConfigMapsLimitAreRefusedBeforeAnythingIsStored() throws Exception {
    Path many = inputs(12_000);
    Files.createDirectories(home.resolve("in"));

    Result refused =
        datapass(
            "submit",
            ship,
            "--inputs",
            many.toString(),
            "--input-dir",
            home.resolve("in").toString(),
            "--upload-input-to",
            "gs://bucket/in/",
            "--dry-run");

    assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err())
        .contains("12000 inputs", "1 MiB", "split the inputs into several submissions")
        .hasLineCount(1);
    assertThat(refused.out()).isEmpty();
  }

  @Test
  void theSummaryCountsTheTasksRunAtOnce() throws Exception {
    Result all = datapass("submit", ship, "--inputs", inputs(3).toString(), "--dry-run");
    Result two =
        datapass(
            "submit",
            ship,
            "--inputs",
            inputs(3).toString(),
            "--set",
            "job.parallelism=2",
            "--dry-run");

    assertThat(all.err()).contains("3 task(s), all at once");
    assertThat(two.err()).contains("3 task(s), 2 at once");
  }

  @Test
  void theHelpSaysParallelismZeroRunsEveryTaskAtOnce() {
    assertThat(datapass("submit", "--help").out()).contains("job.parallelism=0");
  }
}
