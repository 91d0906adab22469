package io.datapass.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.common.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CleanupOptionsTest {

  @Test
  void flagsWinOverTheEnvironment() throws Exception {
    CleanupOptions options =
        CleanupOptions.parse(
            new String[] {
              "--job",
              "job-42",
              "--upload-to",
              "gs://bucket/outputs/",
              "--output",
              "/data/out",
              "--remove",
              "/data/out",
              "--compression",
              "0"
            },
            Map.of("DATAPASS_JOB", "other", "DATAPASS_UPLOAD_TO", "root://host//x/"));
    assertThat(options.job()).isEqualTo("job-42");
    assertThat(options.uploadTo()).hasToString("gs://bucket/outputs/");
    assertThat(options.output()).isEqualTo(Path.of("/data/out"));
    assertThat(options.remove()).containsExactly(Path.of("/data/out"));
    assertThat(options.compression()).isZero();
    assertThat(options.mode()).isEqualTo(CleanupOptions.Mode.ZIP);
  }

  @Test
  void jobAndDestinationComeFromTheEnvironment() throws Exception {
    CleanupOptions options =
        CleanupOptions.parse(
            new String[] {"--mode", "tree"},
            Map.of(
                "DATAPASS_JOB", "run-7", "DATAPASS_UPLOAD_TO", "root://eos.example.org//eos/out/"));
    assertThat(options.job()).isEqualTo("run-7");
    assertThat(options.uploadTo().getScheme()).isEqualTo("root");
    assertThat(options.mode()).isEqualTo(CleanupOptions.Mode.TREE);
    assertThat(options.output()).isEqualTo(Path.of("/output"));
  }

  @Test
  void aMountedDirectoryIsADestinationToo() throws Exception {
    CleanupOptions options =
        CleanupOptions.parse(
            new String[] {
              "--job", "j", "--upload-to", "/shared/results/", "--mode", "tree", "--parallel", "8"
            },
            Map.of());
    assertThat(options.uploadTo()).hasToString("file:/shared/results/");
    assertThat(options.parallel()).isEqualTo(8);
    assertThat(new Destination(options.uploadTo(), null, null).resolve("j/a.root"))
        .hasToString("file:/shared/results/j/a.root");
  }

  @Test
  void aRepeatedFlagTakesItsLastValueButRemoveAndDeleteKeepEvery() throws Exception {
    CleanupOptions options =
        CleanupOptions.parse(
            new String[] {
              "--job", "j", "--upload-to", "gs://b/", "--retries", "3", "--remove", "/scratch/a",
              "--delete", "job/j", "--retries", "7", "--remove", "/scratch/b", "--delete", "pvc/p"
            },
            Map.of());
    assertThat(options.retries()).isEqualTo(7);
    assertThat(options.remove()).containsExactly(Path.of("/scratch/a"), Path.of("/scratch/b"));
    assertThat(options.delete()).extracting(Object::toString).containsExactly("job/j", "pvc/p");
  }

  @Test
  void realCredentialsOnAPlainHttpEndpointOffThisHostAreRefusedAtStartUp() {
    Map<String, String> env =
        Map.of(
            "GOOGLE_APPLICATION_CREDENTIALS", "/var/run/key.json",
            "STORAGE_EMULATOR_HOST", "gcs.example.org:4443");
    assertThatThrownBy(
            () -> CleanupOptions.parse(new String[] {"--job", "j", "--upload-to", "gs://b/"}, env))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "STORAGE_EMULATOR_HOST: the GCS endpoint gcs.example.org:4443 is plain http");
  }

  @Test
  void kubernetesObjectsToDelete() throws Exception {
    CleanupOptions options =
        CleanupOptions.parse(
            new String[] {
              "--job",
              "j",
              "--upload-to",
              "gs://b/",
              "--delete",
              "job/job-42",
              "--delete",
              "pvc/job-42-output"
            },
            Map.of());
    assertThat(options.delete())
        .containsExactly(
            new DeleteTarget(DeleteTarget.Kind.JOB, "job-42"),
            new DeleteTarget(DeleteTarget.Kind.PVC, "job-42-output"));
    assertThat(options.delete())
        .extracting(Object::toString)
        .containsExactly("job/job-42", "pvc/job-42-output");
    assertThatThrownBy(
            () ->
                CleanupOptions.parse(
                    new String[] {"--job", "j", "--upload-to", "gs://b/", "--delete", "pod/x"},
                    Map.of()))
        .hasMessageContaining("--delete takes job/NAME or pvc/NAME, got 'pod/x'");
    assertThatThrownBy(
            () ->
                CleanupOptions.parse(
                    new String[] {
                      "--job", "j", "--upload-to", "gs://b/", "--delete", "job/Bad_Name"
                    },
                    Map.of()))
        .hasMessageContaining("'Bad_Name' is not a Kubernetes object name");
  }

  @Test
  void uploadsReplaceNothingUnlessTold() throws Exception {
    String[] args = {"--job", "j", "--upload-to", "gs://b/"};
    assertThat(CleanupOptions.parse(args, Map.of()).overwrite()).isFalse();
    assertThat(
            CleanupOptions.parse(
                    new String[] {"--job", "j", "--upload-to", "gs://b/", "--overwrite"}, Map.of())
                .overwrite())
        .isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "/shared/results/, file:/shared/results/",
    "file:///shared/results/, file:/shared/results/",
    "/shared/x/../results/, file:/shared/results/",
    "file:/shared//results/./, file:/shared/results/",
    "'/shared/my results/', file:/shared/my%20results/"
  })
  void aMountedPathHasOneSpellingWhateverTheFormGiven(String given, String spelled)
      throws Exception {
    CleanupOptions options =
        CleanupOptions.parse(new String[] {"--job", "j", "--upload-to", given}, Map.of());
    assertThat(options.uploadTo()).hasToString(spelled);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "gs:/b/out/ | --upload-to must name its bucket: gs://BUCKET/dir/",
        "root:///data/ | --upload-to must name its server: root://HOST//dir/",
        "file:relative/ | --upload-to must be an absolute path",
        "file://host/x/ | --upload-to must be an absolute path"
      })
  void aDestinationWithoutItsBucketServerOrAbsolutePathIsAUsageError(String given, String error) {
    assertThatThrownBy(
            () -> CleanupOptions.parse(new String[] {"--job", "j", "--upload-to", given}, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(error);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/out/results/ | /out | --upload-to /out/results/ is inside --remove /out",
        "/out/results/ | /elsewhere | --upload-to /out/results/ is inside --output /out",
        "/shared/ | / | --remove /: refusing to remove the root directory"
      })
  void whatWouldRemoveTheStoredOutputsIsAUsageError(String uploadTo, String remove, String error) {
    assertThatThrownBy(
            () ->
                CleanupOptions.parse(
                    new String[] {
                      "--job", "j", "--output", "/out", "--upload-to", uploadTo, "--remove", remove
                    },
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(error);
  }

  @Test
  void badInputNamesTheFlagOrVariable() {
    Map<String, String> none = Map.of();
    assertThatThrownBy(() -> CleanupOptions.parse(new String[] {"--upload-to", "gs://b/"}, none))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--job (or DATAPASS_JOB) is required");
    assertThatThrownBy(
            () ->
                CleanupOptions.parse(
                    new String[0], Map.of("DATAPASS_JOB", "a b", "DATAPASS_UPLOAD_TO", "gs://b/")))
        .hasMessageContaining("DATAPASS_JOB must be letters");
    assertThatThrownBy(() -> CleanupOptions.parse(new String[] {"--job", "j"}, none))
        .hasMessageContaining("--upload-to (or DATAPASS_UPLOAD_TO) is required");
    assertThatThrownBy(
            () ->
                CleanupOptions.parse(new String[] {"--job", "j", "--upload-to", "s3://b/x/"}, none))
        .hasMessageContaining("--upload-to must be a gs:// or root:// URL or an absolute path");
    assertThatThrownBy(
            () ->
                CleanupOptions.parse(new String[] {"--job", "j", "--upload-to", "gs://b/x"}, none))
        .hasMessageContaining("--upload-to must end with '/'");
    assertThatThrownBy(
            () ->
                CleanupOptions.parse(
                    new String[] {"--job", "j", "--upload-to", "gs://b/", "--compression", "12"},
                    none))
        .hasMessageContaining("--compression must be between 0 and 9, got 12");
    assertThatThrownBy(
            () ->
                CleanupOptions.parse(
                    new String[] {"--job", "j", "--upload-to", "gs://b/", "--mode", "tar"}, none))
        .hasMessageContaining("--mode must be zip or tree, got 'tar'");
  }

  @Test
  void theZipLevelIsOneByDefaultAndCompressionIsItsFormerName() throws Exception {
    String[] base = {"--job", "j", "--upload-to", "gs://b/"};
    assertThat(CleanupOptions.parse(base, Map.of()).compression()).isEqualTo(1);
    assertThat(CleanupOptions.parse(with(base, "--zip-level", "6"), Map.of()).compression())
        .isEqualTo(6);
    assertThat(
            CleanupOptions.parse(with(base, "--zip-level", "0", "--compression", "9"), Map.of())
                .compression())
        .isZero();
    assertThatThrownBy(() -> CleanupOptions.parse(with(base, "--zip-level", "10"), Map.of()))
        .hasMessageContaining("--zip-level must be between 0 and 9, got 10");
    assertThat(CleanupOptions.parse(base, Map.of()).describe())
        .contains("zip (deflate level 1, streamed)");
  }

  @Test
  void theJobsStateIsRecordedOnlyWhenGiven() throws Exception {
    String[] base = {"--job", "j", "--upload-to", "gs://b/"};
    assertThat(CleanupOptions.parse(base, Map.of()).jobState()).isNull();
    assertThat(CleanupOptions.parse(with(base, "--job-state", "Failed"), Map.of()).jobState())
        .isEqualTo("Failed");
    assertThatThrownBy(
            () -> CleanupOptions.parse(with(base, "--job-state", "Failed\nDONE"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--job-state must be 1 to 64 letters");
  }

  private static String[] with(String[] base, String... more) {
    return java.util.stream.Stream.concat(
            java.util.Arrays.stream(base), java.util.Arrays.stream(more))
        .toArray(String[]::new);
  }

  @Test
  void underAppendsToThePathAndKeepsTheCgi() {
    assertThat(
            new Destination(java.net.URI.create("root://eos:1094//eos/out/?authz=abc"), null, null)
                .resolve("job-1/a b.root"))
        .hasToString("root://eos:1094//eos/out/job-1/a%20b.root?authz=abc");
    assertThat(
            new Destination(java.net.URI.create("gs://bucket/outputs/"), null, null)
                .resolve("job-1-output.zip"))
        .hasToString("gs://bucket/outputs/job-1-output.zip");
  }
}
