package io.datapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.cli.Run.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing, help and usage errors of every subcommand: nothing here reaches a cluster. */
class CommandLineTest {
  @TempDir Path home;

  private Result datapass(String... args) {
    return Run.isolated(home).datapass(args);
  }

  @Test
  void helpListsEverySubcommandAndTheExitCodes() {
    Result help = datapass("--help");

    assertThat(help.code()).as(help.toString()).isZero();
    assertThat(help.out())
        .contains("Usage: datapass")
        .contains("submit", "status", "watch", "logs", "cancel", "list")
        .contains("Exit codes: 0 done");
    assertThat(help.err()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"submit", "status", "watch", "logs", "cancel", "list"})
  void everySubcommandHasItsHelpWithTheExitCodes(String subcommand) {
    Result help = datapass(subcommand, "--help");

    assertThat(help.code()).as(help.toString()).isZero();
    assertThat(help.out())
        .startsWith("Usage: datapass " + subcommand)
        .contains("--kubeconfig=FILE", "--namespace=NAMESPACE")
        .contains("Exit codes: 0 done");
  }

  @Test
  void versionIsPrinted() {
    Result version = datapass("--version");

    assertThat(version.code()).isZero();
    assertThat(version.out()).startsWith("datapass ");
  }

  @Test
  void withoutASubcommandItIsAUsageError() {
    Result none = datapass();

    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("datapass: name a subcommand: submit, status");
    assertThat(none.out()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"submit", "status", "watch", "logs", "cancel", "list"})
  void anUnknownFlagIsAUsageErrorNamingIt(String subcommand) {
    Result unknown =
        subcommand.equals("list")
            ? datapass(subcommand, "--colour")
            : datapass(subcommand, "x", "--colour");

    assertThat(unknown.code()).as(unknown.toString()).isEqualTo(2);
    assertThat(unknown.err())
        .contains("datapass " + subcommand + ": Unknown option: '--colour'")
        .contains("Usage: datapass " + subcommand)
        .contains("Try 'datapass " + subcommand + " --help'");
  }

  @ParameterizedTest
  @CsvSource({"submit,VALUES", "status,NAME", "watch,NAME", "logs,NAME", "cancel,NAME"})
  void aMissingArgumentIsAUsageErrorNamingIt(String subcommand, String argument) {
    Result missing = datapass(subcommand);

    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required parameter: '" + argument + "'");
  }

  @Test
  void anUnknownContainerIsAUsageErrorListingTheContainers() {
    Result wrong = datapass("logs", "job-1", "--container", "payloud");

    assertThat(wrong.code()).isEqualTo(2);
    assertThat(wrong.err())
        .contains("--container")
        .contains("payloud")
        .contains("payload, sidecar, download, cleanup");
  }

  @ParameterizedTest
  @CsvSource({"--interval,0,--interval must be at least 1", "--interval,soon,'--interval'"})
  void aBadWatchIntervalIsAUsageError(String flag, String value, String said) {
    Result wrong = datapass("watch", "job-1", flag, value);

    assertThat(wrong.code()).as(wrong.toString()).isEqualTo(2);
    assertThat(wrong.err()).contains(said);
  }

  @Test
  void aMissingKubeconfigFileIsAUsageErrorNamingTheFlag() {
    Result missing = datapass("status", "job-1", "--kubeconfig", home.resolve("nope").toString());

    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err())
        .contains("datapass status: --kubeconfig " + home.resolve("nope") + ": cannot read it");
  }

  @Test
  void aKubeconfigVariableNamingNoFileIsAUsageErrorNamingIt() {
    Result missing = Run.isolated(home).env("KUBECONFIG", "/nowhere/a:/nowhere/b").datapass("list");

    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("KUBECONFIG=/nowhere/a:/nowhere/b names no readable file");
  }

  @Test
  void withoutAnyKubeconfigItSaysWhereItLooked() {
    Result none = datapass("cancel", "job-1");

    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err())
        .contains("no kubeconfig: give --kubeconfig FILE or set KUBECONFIG")
        .contains(home.resolve(".kube/config").toString());
  }

  @Test
  void aKubeconfigThatIsNotOneIsAUsageError() throws Exception {
    Path broken =
        Files.writeString(home.resolve("kubeconfig"), "clusters: [this is not: a kubeconfig");

    Result wrong = datapass("status", "job-1", "--kubeconfig", broken.toString());

    assertThat(wrong.code()).as(wrong.toString()).isEqualTo(2);
    assertThat(wrong.err())
        .contains("datapass status: --kubeconfig " + broken + " is not a kubeconfig")
        .doesNotContain("this is not");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ghp_SECRETTOKEN123\n",
        "root:x:0:0:SECRET:/root:/bin/bash\ndaemon:x:1:1:SECRET:/usr/sbin\n",
        "{\"apiVersion\": \"v1\", \"SECRET\": {\"server\": \"x\"}}\n",
        "clusters: []\nusers: [{name: SECRET}]\n"
      })
  void aFileThatIsNotAKubeconfigIsRefusedQuotingNothingOfIt(String content) throws Exception {
    Path file = Files.writeString(home.resolve("token.txt"), content);

    for (String[] args :
        new String[][] {
          {"status", "job-1", "--kubeconfig", file.toString()},
          {
            "submit",
            Run.VALUES.resolve("ship.yaml").toString(),
            "--dry-run",
            "--kubeconfig",
            file.toString()
          }
        }) {
      Result wrong = datapass(args);

      assertThat(wrong.code()).as(wrong.toString()).isEqualTo(2);
      assertThat(wrong.err())
          .contains("--kubeconfig " + file + " is not a kubeconfig (")
          .doesNotContain("SECRET")
          .hasLineCount(1);
    }
  }

  @Test
  void anInvalidNamespaceIsAUsageErrorNamingTheFlag() throws Exception {
    Path kubeconfig = Files.writeString(home.resolve("kubeconfig"), Kubeconfigs.unreachable());

    Result wrong = datapass("list", "--kubeconfig", kubeconfig.toString(), "-n", "Not_A_Namespace");

    assertThat(wrong.code()).isEqualTo(2);
    assertThat(wrong.err()).contains("--namespace 'Not_A_Namespace' is not a namespace name");
  }

  @Test
  void anApiServerThatCannotBeReachedIsExitOneSayingWhy() throws Exception {
    Path kubeconfig = Files.writeString(home.resolve("kubeconfig"), Kubeconfigs.unreachable());

    Result unreachable = datapass("status", "job-1", "--kubeconfig", kubeconfig.toString());

    assertThat(unreachable.code()).as(unreachable.toString()).isEqualTo(1);
    assertThat(unreachable.err().lines().filter(l -> l.startsWith("datapass status: ")))
        .containsExactly(
            "datapass status: cannot reach the API server https://127.0.0.1:1/ (kubeconfig "
                + kubeconfig
                + ", context test): java.net.ConnectException");
  }

  @Test
  void aNegativeTaskIsAUsageErrorBeforeTheClusterIsAsked() {
    Result negative = datapass("logs", "job-1", "--task", "-1");

    assertThat(negative.code()).as(negative.toString()).isEqualTo(2);
    assertThat(negative.err()).isEqualTo("datapass logs: --task must be 0 or more, got -1\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"submit", "status", "watch", "logs", "cancel", "list", "user"})
  void everySubcommandPrintsTheVersion(String subcommand) {
    Result version = datapass(subcommand, "-V");

    assertThat(version.code()).as(version.toString()).isZero();
    assertThat(version.out()).startsWith("datapass ");
  }
}
