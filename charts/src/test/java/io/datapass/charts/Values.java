package io.datapass.charts;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values for one render, set by dotted paths ({@code with("payload.image", "x")}) and written to a
 * values file, as a user's file would be: typed YAML, not {@code --set} strings.
 */
final class Values {
  private static final YAMLMapper YAML = new YAMLMapper();
  private final Map<String, Object> root = new LinkedHashMap<>();

  /** A small submission: the payload's image and command, one input. */
  static Values minimal() {
    return withoutInputs().with("manifest.inputs", List.of(input("gs://bucket/run1.root")));
  }

  /** The least a submission needs: the payload's image and command. */
  static Values withoutInputs() {
    return new Values()
        .with("payload.image", "registry.example.org/analysis:1.0")
        .with("payload.command", "analyse /workdir/input /workdir/output");
  }

  /**
   * Every part of the chart switched on: tasks, claims, an existing claim mounted everywhere, every
   * credential created from {@code secret} (so a test can look for it), a backend, the cleanup Job.
   */
  static Values everything(String secret) {
    return minimal()
        .with(
            "manifest.inputs",
            List.of(Map.of("source", "gs://bucket/calib.tar.gz", "unpack", true)))
        .withTasks(3)
        .with("submission.experiment", "ship")
        .with("submission.user", "jdoe")
        .with("input.volume", "claim")
        .with("output.volume", "claim")
        .with("output.uploadTo", "gs://bucket/outputs/")
        .with(
            "claims.shared", Map.of("claimName", "shared", "mountPath", "/shared", "agents", true))
        .with("credentials.gcs.value", secret)
        .with("credentials.gcs.payload", true)
        .with("credentials.x509Proxy.value", secret)
        .with("credentials.httpToken.value", secret)
        .with("credentials.httpToken.origins", List.of("https://data.example.org"))
        .with("credentials.backendToken.value", secret)
        .with("sidecar.backendUrl", "https://backend.example.org/states")
        .with("sidecar.healthyDeadlineSeconds", 300)
        .with("imagePullSecrets.create.server", "registry.example.org")
        .with("imagePullSecrets.create.username", "robot")
        .with("imagePullSecrets.create.password", secret)
        .with("kueue.queueName", "physics")
        .with("gcsEndpoint", "http://gcs.example.org:4443")
        .with("cleanup.enabled", true);
  }

  /** The least a user pod needs: the user and one container serving the Service's port. */
  static Values user(String name) {
    return new Values()
        .with("user.name", name)
        .with("user.uid", 1000)
        .with("user.gid", 1000)
        .with("containers.web.image", "nginxinc/nginx-unprivileged:1.27")
        .with("containers.web.ports", Map.of("http", 8080));
  }

  /** savu.yaml's user: what {@code datapass user start} sets on top of an experiment's file. */
  static Values savuUser() {
    return new Values().with("user.name", "jdoe").with("user.uid", 37123).with("user.gid", 37000);
  }

  @SuppressWarnings("unchecked")
  Values with(String path, Object value) {
    String[] keys = path.split("\\.");
    Map<String, Object> map = root;
    for (int i = 0; i < keys.length - 1; i++) {
      map = (Map<String, Object>) map.computeIfAbsent(keys[i], k -> new LinkedHashMap<>());
    }
    map.put(keys[keys.length - 1], value);
    return this;
  }

  /** A manifest input {@code {source: ...}}. */
  static Map<String, Object> input(String source) {
    return Map.of("source", source);
  }

  /** {@code count} tasks, each with one input of its own. */
  Values withTasks(int count) {
    return with(
        "manifest.tasks",
        java.util.stream.IntStream.range(0, count)
            .mapToObj(i -> Map.of("inputs", List.of(input("gs://bucket/part-" + i + ".root"))))
            .toList());
  }

  Path file() {
    try {
      Path file = Files.createTempFile("datapass-values-", ".yaml");
      file.toFile().deleteOnExit();
      YAML.writeValue(file.toFile(), root);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
