package io.datapass.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of());
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h", "help"})
  void helpListsEveryRoleAndTheExitCodes(String flag) {
    assertThat(run(flag)).isZero();
    assertThat(out())
        .contains("  download ", "  sidecar ", "  cleanup ", "  version ", "Exit codes: 0");
    assertThat(err()).isEmpty();
  }

  @Test
  void versionPrintsTheProjectsVersion() {
    assertThat(run("version")).isZero();
    assertThat(out()).matches("datapass agent \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
  }

  @Test
  void anUnknownRoleIsAUsageErrorThatListsTheRoles() {
    assertThat(run("downloader", "--help")).isEqualTo(2);
    assertThat(err()).contains("unknown role 'downloader'", "  download ", "  cleanup ");
    assertThat(out()).isEmpty();
  }

  @Test
  void noRoleIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err()).contains("no role given", "  download ");
  }

  @ParameterizedTest
  @CsvSource({"download, --manifest", "sidecar, --healthy-deadline", "cleanup, --upload-to"})
  void aRoleGetsTheArgumentsAfterItsName(String role, String aFlagOfItsHelp) {
    assertThat(run(role, "--help")).isZero();
    assertThat(out()).contains(aFlagOfItsHelp, "Exit codes: 0");
  }

  @Test
  void aRolesUsageErrorIsItsOwnExitCode() {
    assertThat(run("download", "--no-such-flag")).isEqualTo(2);
    assertThat(err()).startsWith("download: ").contains("--no-such-flag");
  }

  @ParameterizedTest
  @ValueSource(strings = {"download", "sidecar", "cleanup"})
  void aRolesUsageNamesItAsItIsInvoked(String role) {
    assertThat(run(role, "--help")).isZero();
    assertThat(out()).startsWith("usage: " + role + " ");
    out.reset();
    assertThat(run(role, "--no-such-flag")).isEqualTo(2);
    assertThat(err()).startsWith(role + ": ").contains("usage: " + role + " ");
  }
}
