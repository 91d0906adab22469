package io.datapass.charts;

import static io.datapass.charts.Rendered.list;
import static io.datapass.charts.Rendered.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** values/: one small file per experiment (seed), each rendered through the real chart. */
@DisplayName("values/: every seed as a small values file")
class ExperimentValuesTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void theCafValuesPullWithTheRegistrySecretAndMountTheNtuplesClaim() {
    Rendered caf = render("caf.yaml");

    assertThat(list(caf.pod().path("imagePullSecrets")))
        .extracting(s -> s.path("name").asText())
        .containsExactly("sh-k8s-registry-secret");
    JsonNode ntuples = PodTest.mount(caf.container("payload"), "/ntuples");
    assertThat(
            PodTest.volume(caf, ntuples.path("name").asText())
                .path("persistentVolumeClaim")
                .path("claimName")
                .asText())
        .isEqualTo("ntuples-claim");
    assertThat(strings(caf.container("payload").path("command")))
        .containsSubsequence("bash", "-lc");
    assertThat(PodTest.env(caf.container("payload"))).containsEntry("HOME", "/home/atlas");
    assertThat(caf.initContainers())
        .extracting(c -> c.path("name").asText())
        .containsExactly("sidecar");
    assertThat(caf.job().path("metadata").path("labels").path("datapass.io/experiment").asText())
        .isEqualTo("atlas-caf");
  }

  @Test
  void theShipValuesFetchFromEosOverRootAndStoreInGcs() {
    Rendered ship = render("ship.yaml");

    assertThat(ship.manifest()).contains("root://eospublic.cern.ch//eos/experiment/ship/");
    assertThat(strings(ship.container("sidecar").path("args")))
        .containsSubsequence("--upload-to", "gs://ship-outputs/");
    assertThat(PodTest.mountPaths(ship.container("payload"))).contains("/input", "/output");
    assertThat(PodTest.env(ship.container("download")))
        .containsKey("GOOGLE_APPLICATION_CREDENTIALS");
  }

  @Test
  void theKPipeValuesLetTheSidecarDownloadReportToTheBackendAndWatchLiveness() {
    Rendered kpipe = render("kpipe.yaml");

    List<String> args = strings(kpipe.container("sidecar").path("args"));
    assertThat(args)
        .containsSubsequence("--manifest", "/etc/datapass/inputs/manifest.yaml")
        .containsSubsequence("--healthy-deadline", "120")
        .containsSubsequence("--backend-url", "https://k-pipe.example.org/api/v1/states")
        .containsSubsequence("--backend-token-file", "/var/run/secrets/datapass/backend/token");
    assertThat(
            kpipe.container("sidecar").path("startupProbe").path("httpGet").path("path").asText())
        .isEqualTo("/startup");
    assertThat(kpipe.container("payload").has("livenessProbe")).isTrue();
    assertThat(PodTest.env(kpipe.container("payload")))
        .containsEntry("DATAPASS_PAYLOAD_WRITES_STATE", "1");
  }

  @Test
  void theTaskRunnerValuesUnpackTheInputZipAndLeaveTheOutputZipToTheCleanupJob() {
    Rendered runner = render("taskrunner.yaml");

    assertThat(runner.manifest()).contains("job-42-input.zip", "unpack: true");
    assertThat(PodTest.mountPaths(runner.container("payload"))).contains("/input", "/output");
    assertThat(strings(runner.container("sidecar").path("args"))).doesNotContain("--upload-to");
    assertThat(
            strings(
                runner
                    .cleanupJob()
                    .path("spec")
                    .path("template")
                    .path("spec")
                    .path("containers")
                    .get(0)
                    .path("args")))
        .containsSubsequence("--upload-to", "gs://task-runner-jobs/", "--output", "/output")
        .contains("pvc/job-42-input", "pvc/job-42-output");
  }

  @Test
  void theLocalDemoValuesRenderTheDemosJobWithTheChart() {
    Rendered demo = render("local-demo.yaml");

    // ci/demo makes run1.root the same every run and checks its sha256 against this file's
    assertThat(demo.manifest()).contains("gs://demo-bucket/run1.root", "checksum: sha256:eec754d0");
    assertThat(
            demo.one("PersistentVolumeClaim", "job-42-output")
                .path("spec")
                .path("storageClassName")
                .asText())
        .isEqualTo("datapass-demo");
    assertThat(demo.cleanupJob().path("spec").path("ttlSecondsAfterFinished").asInt())
        .isEqualTo(10);
  }

  @Test
  void theSavuValuesRunTheSeedsThreeContainersAsTheUserWithTheDataFromItsClaim() {
    Rendered savu =
        Helm.template(
            Helm.USER_POD,
            "savu-jdoe",
            Helm.EXPERIMENTS.resolve("savu.yaml"),
            Values.savuUser().file());

    assertThat(list(savu.userPod().path("spec").path("containers")))
        .extracting(c -> c.path("image").asText())
        .containsExactly(
            "dannixon/hebi-api:latest",
            "dannixon/dawn-dataserver:latest",
            "dannixon/hebi-web:latest");
    assertThat(savu.userPod().path("spec").path("securityContext").path("runAsUser").asLong())
        .isEqualTo(37123);
    assertThat(PodTest.env(savu.userContainer("web"))).containsEntry("TZ", "Europe/London");
    assertThat(savu.userContainer("dataserver").path("ports").get(0).path("containerPort").asInt())
        .isEqualTo(8080);
    assertThat(savu.service().path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(80);
    assertThat(
            UserPodTest.volume(savu, "data")
                .path("persistentVolumeClaim")
                .path("claimName")
                .asText())
        .isEqualTo("dlstmp");
    assertThat(
            savu.userPod().path("metadata").path("labels").path("datapass.io/experiment").asText())
        .isEqualTo("savu");
  }

  @Test
  void everyValuesFileHoldsOnlyOverridesNeverACopyOfAChartDefault() throws IOException {
    List<Path> files = experimentValues();
    assertThat(files).hasSizeGreaterThanOrEqualTo(6);
    for (Path file : files) {
      Map<String, JsonNode> defaults =
          leaves(YAML.readTree(chartOf(file).resolve("values.yaml").toFile()));
      Map<String, JsonNode> overrides = leaves(YAML.readTree(file.toFile()));
      assertThat(overrides).as(file.toString()).isNotEmpty();
      for (Map.Entry<String, JsonNode> leaf : overrides.entrySet()) {
        assertThat(leaf.getValue())
            .as("%s: %s repeats the chart's default", file.getFileName(), leaf.getKey())
            .isNotEqualTo(defaults.get(leaf.getKey()));
      }
    }
  }

  private static Rendered render(String file) {
    return Helm.template(Helm.BATCH_JOB, "job-42", Helm.EXPERIMENTS.resolve(file));
  }

  /** values/*.yaml whose first line says {@code # chart: batch-job}. */
  static List<Path> batchJobValues() throws IOException {
    return valuesFor(Helm.BATCH_JOB);
  }

  /** values/*.yaml whose first line says {@code # chart: user-pod}. */
  static List<Path> userPodValues() throws IOException {
    return valuesFor(Helm.USER_POD);
  }

  private static List<Path> valuesFor(Path chart) throws IOException {
    return experimentValues().stream().filter(f -> chartOf(f).equals(chart)).toList();
  }

  @Test
  void theReadmesStartHereShowsValuesShipYamlAsItIs() throws IOException {
    String readme = Files.readString(Helm.EXPERIMENTS.resolveSibling("README.md"));
    String start = readme.substring(readme.indexOf("## Start here"));
    String block = start.substring(start.indexOf("```yaml\n") + 8);
    assertThat(block.substring(0, block.indexOf("```")))
        .isEqualTo(Files.readString(Helm.EXPERIMENTS.resolve("ship.yaml")));
  }

  /** Every values/*.yaml. */
  static List<Path> experimentValues() throws IOException {
    try (Stream<Path> files = Files.list(Helm.EXPERIMENTS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  /**
   * The chart a values file's first line names, {@code # chart: NAME}; fails the test without one.
   */
  static Path chartOf(Path valuesFile) {
    String first = Helm.read(valuesFile).lines().findFirst().orElse("");
    assertThat(first).as(valuesFile + " names its chart").matches("# chart: [a-z-]+");
    Path chart = Helm.CHARTS.resolve(first.substring("# chart: ".length()));
    assertThat(chart.resolve("Chart.yaml")).as(valuesFile + "'s chart").exists();
    return chart;
  }

  /** Each scalar or list by its dotted path. */
  private static Map<String, JsonNode> leaves(JsonNode node) {
    Map<String, JsonNode> leaves = new TreeMap<>();
    collect("", node, leaves);
    return leaves;
  }

  private static void collect(String path, JsonNode node, Map<String, JsonNode> leaves) {
    if (node.isObject() && !node.isEmpty()) {
      node.properties()
          .forEach(
              e ->
                  collect(
                      path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), leaves));
    } else {
      leaves.put(path, node);
    }
  }
}
