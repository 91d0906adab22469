package io.datapass.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.common.ConfigException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubmissionNameTest {
  private static final Instant NOW = Instant.parse("2026-11-30T14:22:33Z");

  @ParameterizedTest
  @CsvSource({
    "ship, ship-20261130-142233",
    "ATLAS CAF, atlas-caf-20261130-142233",
    "'', job-20261130-142233",
    "--k_pipe--, k-pipe-20261130-142233",
    "a-very-long-experiment-name-that-goes-on-and-on-and-on, a-very-long-experiment-name-that-goe-20261130-142233"
  })
  void aGeneratedNameIsTheExperimentAndTheTime(String experiment, String expected)
      throws Exception {
    String name = SubmissionName.chosen(null, experiment, NOW);

    assertThat(name).isEqualTo(expected);
    assertThat(name.length()).isLessThanOrEqualTo(SubmissionName.MAX);
  }

  @ParameterizedTest
  @ValueSource(strings = {"run-42", "a", "x1234567890123456789012345678901234567890123456789z"})
  void aValidNameIsKept(String name) throws Exception {
    assertThat(SubmissionName.chosen(name, "ship", NOW)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Run-42",
        "run_42",
        "-run",
        "run-",
        "run.42",
        "",
        "x123456789012345678901234567890123456789012345678901z"
      })
  void anyOtherNameIsRefused(String name) {
    assertThatThrownBy(() -> SubmissionName.chosen(name, "ship", NOW))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--name '" + name + "'");
  }
}
