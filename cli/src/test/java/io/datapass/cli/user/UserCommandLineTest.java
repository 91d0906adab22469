package io.datapass.cli.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.cli.Run;
import io.datapass.cli.Run.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing, help and usage errors of {@code datapass user}: nothing here reaches a cluster. */
class UserCommandLineTest {
  @TempDir Path home;

  private final String savu = Run.VALUES.resolve("savu.yaml").toString();

  private Result datapass(String... args) {
    return Run.isolated(home).env("USER", "jdoe").datapass(args);
  }

  private static void assertUsageError(Result result, String... said) {
    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains(said);
  }

  @Test
  void theRootHelpListsUser() {
    Result help = datapass("--help");

    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("  user ").contains("user-pod");
  }

  @Test
  void userHelpListsItsSubcommands() {
    Result help = datapass("user", "--help");

    assertThat(help.code()).as(help.toString()).isZero();
    assertThat(help.out())
        .startsWith("Usage: datapass user")
        .contains("start", "stop", "status")
        .contains("Exit codes: 0 done");
  }

  @ParameterizedTest
  @ValueSource(strings = {"start", "stop", "status"})
  void everyUserSubcommandHasItsHelp(String subcommand) {
    Result help = datapass("user", subcommand, "--help");

    assertThat(help.code()).as(help.toString()).isZero();
    assertThat(help.out())
        .startsWith("Usage: datapass user " + subcommand)
        .contains("VALUES", "--name=USER", "--kubeconfig=FILE", "--namespace=NAMESPACE")
        .contains("Exit codes: 0 done");
  }

  @Test
  void startHasTheUidGidAndDryRunFlags() {
    Result help = datapass("user", "start", "--help");

    assertThat(help.out())
        .contains("--uid=N", "--gid=N", "--set=KEY=VALUE", "--dry-run", "--timeout=SECONDS");
  }

  @Test
  void withoutASubcommandItIsAUsageError() {
    assertUsageError(datapass("user"), "datapass user: name a subcommand: start, stop or status");
  }

  @ParameterizedTest
  @ValueSource(strings = {"start", "stop", "status"})
  void aMissingValuesFileArgumentIsNamed(String subcommand) {
    assertUsageError(
        datapass("user", subcommand),
        "datapass user " + subcommand + ": Missing required parameter: 'VALUES'",
        "Usage: datapass user " + subcommand,
        "Try 'datapass user " + subcommand + " --help'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"start", "stop", "status"})
  void aValuesFileThatIsNotThereIsNamed(String subcommand) {
    assertUsageError(
        datapass("user", subcommand, "values/savuu.yaml"),
        "datapass user " + subcommand + ": values/savuu.yaml: no such values file");
  }

  @Test
  void anUnknownFlagIsNamed() {
    assertUsageError(
        datapass("user", "start", savu, "--uuid=5"),
        "datapass user start: Unknown option: '--uuid=5'");
  }

  @ParameterizedTest
  @CsvSource({
    "--uid,0,--uid 0: a user's pod never runs as root",
    "--uid,-3,--uid must be a positive number, got -3",
    "--gid,-1,--gid must be 0 or more, got -1",
    "--uid,jdoe,Invalid value for option '--uid': 'jdoe' is not a long",
    "--timeout,0,--timeout must be at least 1 second"
  })
  void aBadNumberIsAUsageErrorNamingTheFlag(String flag, String value, String said) {
    List<String> args = new ArrayList<>(List.of("user", "start", savu, flag, value, "--dry-run"));
    for (String id : List.of("--uid", "--gid")) {
      if (!id.equals(flag)) {
        args.addAll(List.of(id, "1000"));
      }
    }

    assertUsageError(datapass(args.toArray(String[]::new)), said);
  }

  @Test
  void withoutANameOrUserItAsksWhosePod() {
    Result none = Run.isolated(home).datapass("user", "status", savu);

    assertUsageError(none, "datapass user status: whose pod? give --name USER ($USER is not set)");
  }

  @Test
  void aValuesFileNamingTheObjectsItselfIsRefused() throws Exception {
    Path named =
        Files.writeString(home.resolve("named.yaml"), "fullnameOverride: fixed\ncontainers: {}\n");

    assertUsageError(
        datapass("user", "stop", named.toString()),
        named + ": fullnameOverride: datapass names each user's pod itself");
  }

  @Test
  void withoutAKubeconfigStatusSaysWhereItLooked() {
    assertUsageError(
        datapass("user", "status", savu), "datapass user status: no kubeconfig: give --kubeconfig");
  }
}
