package io.datapass.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real Helm engine (helm-java: Helm's own Go code, no helm binary) on the charts beside this
 * module: {@code template} parsed into one node per object, and {@code lint --strict}.
 */
final class Helm {
  /** The module's directory, {@code charts/}: Maven runs the tests there. */
  static final Path CHARTS = Path.of("").toAbsolutePath();

  static final Path BATCH_JOB = CHARTS.resolve("batch-job");
  static final Path USER_POD = CHARTS.resolve("user-pod");
  static final Path LIBRARY = CHARTS.resolve("datapass-lib");

  /** One values file per experiment, at the repository's top. */
  static final Path EXPERIMENTS = CHARTS.resolveSibling("values");

  static final String NAMESPACE = "datapass";
  private static final YAMLMapper YAML = new YAMLMapper();

  /**
   * Rendered from copies with the library's link followed: Helm's loader logs a line for each link
   * it follows, every render; ChartLintTest uses the charts as they are in the repository.
   */
  private static final Map<Path, Path> COPIES = new ConcurrentHashMap<>();

  private Helm() {}

  /** Renders {@code chart} as release {@code release} with these values files, in order. */
  static Rendered template(Path chart, String release, Path... valuesFiles) {
    var template =
        new com.marcnuri.helm.Helm(COPIES.computeIfAbsent(chart, ChartCopy::withValues))
            .template()
            .withName(release)
            .withNamespace(NAMESPACE);
    for (Path file : valuesFiles) {
      template = template.withValuesFile(file);
    }
    return new Rendered(parse(template.call()));
  }

  /** Renders the batch-job chart with these values. */
  static Rendered batchJob(String release, Values values) {
    return template(BATCH_JOB, release, values.file());
  }

  /** What Helm says when the batch-job chart refuses these values. */
  static String batchJobRefusal(String release, Values values) {
    try {
      batchJob(release, values);
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
    throw new AssertionError("the chart rendered values it should refuse: " + values);
  }

  /** Renders the user-pod chart with these values. */
  static Rendered userPod(String release, Values values) {
    return template(USER_POD, release, values.file());
  }

  /** What Helm says when the user-pod chart refuses these values. */
  static String userPodRefusal(String release, Values values) {
    try {
      userPod(release, values);
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
    throw new AssertionError("the chart rendered values it should refuse: " + values);
  }

  /**
   * {@code helm lint --strict}; with values files, of a copy whose values.yaml has them merged in
   * (helm-java's lint takes a chart's own values only).
   */
  static LintResult lintStrict(Path chart, Path... valuesFiles) {
    Path linted = valuesFiles.length == 0 ? chart : ChartCopy.withValues(chart, valuesFiles);
    return new com.marcnuri.helm.Helm(linted).lint().strict().call();
  }

  private static List<JsonNode> parse(String manifests) {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents =
        YAML.readerFor(JsonNode.class).readValues(manifests)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && !document.isNull() && !document.isEmpty()) {
          objects.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Helm rendered what is not YAML:\n" + manifests, e);
    }
    return objects;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
