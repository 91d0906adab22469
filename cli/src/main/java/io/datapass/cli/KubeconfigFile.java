package io.datapass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.datapass.common.ConfigException;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A file given as a kubeconfig, checked before fabric8 reads it: a parser's error quotes the file
 * (a token, /etc/passwd), and fabric8 takes a map without clusters for an empty kubeconfig and goes
 * to localhost:8080. So the errors here quote nothing of the file.
 */
final class KubeconfigFile {
  private static final YAMLMapper YAML = new YAMLMapper();
  static final String EXPECTED =
      "expected YAML or JSON with clusters, users, contexts and current-context, as `kubectl"
          + " config view --raw` prints it";

  private KubeconfigFile() {}

  /** The file's settings; {@code named} is how the user gave it (--kubeconfig, KUBECONFIG=). */
  static Config read(Path file, String named) throws ConfigException {
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException | RuntimeException notYaml) {
      root = null;
    }
    if (root == null || !root.isObject() || root.path("clusters").isEmpty()) {
      throw new ConfigException(named + file + " is not a kubeconfig (" + EXPECTED + ")");
    }
    try {
      return Config.fromKubeconfig(file.toFile());
    } catch (RuntimeException unusable) {
      throw new ConfigException(
          named
              + file
              + " is not a usable kubeconfig (its current context, cluster or user cannot be"
              + " read)");
    }
  }
}
