package io.datapass.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.cli.Run;
import io.datapass.cli.Run.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code submit} refuses with exit 2, naming the flag, the file or the key. */
class SubmitUsageErrorsTest {
  @TempDir Path home;

  private final String ship = Run.VALUES.resolve("ship.yaml").toString();

  private Result datapass(String... args) {
    return Run.isolated(home).datapass(args);
  }

  private static void assertUsageError(Result result, String... said) {
    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains(said);
  }

  @Test
  void aMissingValuesFileIsNamed() {
    assertUsageError(
        datapass("submit", "values/shipp.yaml", "--dry-run"),
        "datapass submit: values/shipp.yaml: no such values file");
  }

  @Test
  void aValuesFileThatIsNoMapIsNamed() throws Exception {
    Path list = Files.writeString(home.resolve("list.yaml"), "- a\n- b\n");

    assertUsageError(
        datapass("submit", list.toString(), "--dry-run"), list + ": a values file is a YAML map");
  }

  @Test
  void aMisspeltKeyIsNamedWithTheFileByTheChartsSchema() throws Exception {
    Path typo =
        Files.writeString(
            home.resolve("typo.yaml"), "payload:\n  image: busybox\n  comand: 'true'\n");

    assertUsageError(
        datapass("submit", typo.toString(), "--dry-run"),
        typo + ": the chart refuses these values",
        "additional properties 'comand' not allowed");
  }

  @Test
  void anInvalidNameIsRefusedNamingTheFlag() {
    assertUsageError(
        datapass("submit", ship, "--name", "Run_42", "--dry-run"),
        "--name 'Run_42' must be a DNS label");
    assertUsageError(
        datapass("submit", ship, "--name", "a".repeat(53), "--dry-run"), "at most 52 characters");
  }

  @Test
  void aMissingInputsFileIsNamed() {
    assertUsageError(
        datapass("submit", ship, "--inputs", home.resolve("nope.txt").toString(), "--dry-run"),
        "--inputs " + home.resolve("nope.txt") + ": no such file");
  }

  @Test
  void aBadLineOfTheInputsFileIsNamedWithItsNumber() throws Exception {
    Path list = Files.write(home.resolve("in.txt"), List.of("gs://b/a", "# two", "ftp://host/c"));

    assertUsageError(
        datapass("submit", ship, "--inputs", list.toString(), "--dry-run"),
        list + ":3: scheme 'ftp' is not one of");
  }

  @Test
  void anInputsFileWithoutInputsIsRefused() throws Exception {
    Path list = Files.write(home.resolve("in.txt"), List.of("# nothing yet", ""));

    assertUsageError(
        datapass("submit", ship, "--inputs", list.toString(), "--dry-run"), "lists no input");
  }

  @Test
  void aPrefixThatIsNoDirectoryOrCannotBeListedIsRefused() {
    assertUsageError(
        datapass("submit", ship, "--inputs", "gs://bucket/run-1", "--dry-run"),
        "a prefix to list ends with '/'");
    assertUsageError(
        datapass("submit", ship, "--inputs", "https://example.org/data/", "--dry-run"),
        "only gs:// and root:// prefixes are listed");
  }

  @Test
  void anInputDirectoryThatIsNotOneIsNamed() {
    assertUsageError(
        datapass("submit", ship, "--input-dir", home.resolve("nope").toString(), "--dry-run"),
        "--input-dir " + home.resolve("nope") + ": not a directory");
  }

  @Test
  void anInputDirectoryWithNowhereToGoAsksForThePrefix() throws Exception {
    Files.createDirectories(home.resolve("in"));

    assertUsageError(
        datapass(
            "submit",
            Run.VALUES.resolve("caf.yaml").toString(),
            "--input-dir",
            home.resolve("in").toString(),
            "--dry-run"),
        "--input-dir needs --upload-input-to PREFIX");
  }

  @Test
  void anInputZipPrefixThatIsNoUploadPrefixIsNamed() throws Exception {
    Files.createDirectories(home.resolve("in"));

    assertUsageError(
        datapass(
            "submit",
            ship,
            "--input-dir",
            home.resolve("in").toString(),
            "--upload-input-to",
            "gs://bucket/no-slash",
            "--dry-run"),
        "--upload-input-to must end with '/'");
  }

  @Test
  void aSetFlagWithoutAnEqualsSignIsNamed() {
    assertUsageError(
        datapass("submit", ship, "--set", "payload.image", "--dry-run"),
        "--set needs KEY=VALUE, got 'payload.image'");
  }

  @Test
  void chartsThatAreNotThereAreNamed() throws Exception {
    Path empty = Files.createDirectories(home.resolve("charts"));

    assertUsageError(
        datapass("submit", ship, "--charts", empty.toString(), "--dry-run"),
        "--charts " + empty + " holds no batch-job/Chart.yaml");
  }

  @Test
  void aValuesFileNamingTheObjectsItselfIsRefused() throws Exception {
    Path named = Files.writeString(home.resolve("named.yaml"), "fullnameOverride: fixed\n");

    assertUsageError(
        datapass("submit", named.toString(), "--dry-run"),
        "fullnameOverride: datapass names each submission itself");
  }
}
