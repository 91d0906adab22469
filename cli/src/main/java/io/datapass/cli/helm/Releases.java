package io.datapass.cli.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.datapass.common.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Helm releases in one namespace of the cluster a kubeconfig names, through helm-java (Helm's own
 * code as a library: no helm binary).
 */
public final class Releases {
  private final Path kubeconfig;
  private final String namespace;

  public Releases(Path kubeconfig, String namespace) {
    this.kubeconfig = kubeconfig;
    this.namespace = namespace;
  }

  public String namespace() {
    return namespace;
  }

  /** The rendered manifests, as {@code helm template} prints them; nothing reaches the cluster. */
  public static String template(
      StagedChart chart, String release, String namespace, ChartValues values)
      throws ConfigException {
    try {
      return values
          .applyTo(new Helm(chart.path()).template().withName(release).withNamespace(namespace))
          .call();
    } catch (IllegalStateException refused) {
      // Helm's hint names a --debug flag of its own command line, which datapass has not
      String message =
          String.valueOf(refused.getMessage())
              .replace("Use --debug flag to render out invalid YAML", "")
              .strip();
      throw new ConfigException("the chart refuses these values: " + message);
    }
  }

  /** Every release in the namespace, whatever its state. */
  public List<Release> list() {
    return Helm.list().all().withNamespace(namespace).withKubeConfig(kubeconfig).call();
  }

  public Optional<Release> find(String name) {
    return list().stream().filter(release -> release.getName().equals(name)).findFirst();
  }

  /** Installs a new release; never upgrades one (the caller checked the name is free). */
  public Release install(StagedChart chart, String release, ChartValues values) {
    return values
        .applyTo(
            new Helm(chart.path())
                .install()
                .withName(release)
                .withNamespace(namespace)
                .withKubeConfig(kubeconfig))
        .call();
  }

  /** Uninstalls the release; false when there was none. */
  public boolean uninstall(String release) {
    if (find(release).isEmpty()) {
      return false;
    }
    Helm.uninstall(release)
        .withNamespace(namespace)
        .withKubeConfig(kubeconfig)
        .ignoreNotFound()
        .call();
    return true;
  }
}
