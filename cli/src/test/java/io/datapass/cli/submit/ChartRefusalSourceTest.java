package io.datapass.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.cli.Run;
import io.datapass.cli.Run.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A value the chart refuses is blamed on where it came from (the inputs file and line, a --set),
 * not on the values file; Helm's hint about a --debug flag datapass has not is left out.
 */
class ChartRefusalSourceTest {
  @TempDir Path home;

  private final String ship = Run.VALUES.resolve("ship.yaml").toString();

  private Result datapass(String... args) {
    return Run.isolated(home).datapass(args);
  }

  @Test
  void anInputTheChartRefusesIsNamedByItsFileAndLine() throws Exception {
    Path inputs =
        Files.write(
            home.resolve("in2.txt"), List.of("gs://bucket/a.root", "https://user:pw@host/f"));

    Result refused = datapass("submit", ship, "--inputs", inputs.toString(), "--dry-run");

    assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err())
        .startsWith("datapass submit: " + inputs + ":2: the chart refuses this input: ")
        .contains("may carry a secret")
        .doesNotContain(ship, "--debug", "user:pw");
  }

  @Test
  void aSetTheChartRefusesIsNamedAsTheSet() {
    Result refused = datapass("submit", ship, "--set", "payload.comand=x", "--dry-run");

    assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err())
        .startsWith("datapass submit: --set payload.comand=x: the chart refuses it: ")
        .contains("'comand' not allowed")
        .doesNotContain(ship);
  }

  @Test
  void aUserPodValuesFileIsOneLineSayingSo() {
    String savu = Run.VALUES.resolve("savu.yaml").toString();

    Result refused = datapass("submit", savu, "--dry-run");

    assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err())
        .isEqualTo(
            "datapass submit: "
                + savu
                + " is a user-pod values file (its first line: # chart: user-pod): start it with"
                + " datapass user start "
                + savu
                + "\n");
  }
}
