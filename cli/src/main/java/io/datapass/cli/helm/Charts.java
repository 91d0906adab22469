package io.datapass.cli.helm;

import io.datapass.common.ConfigException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directory holding the datapass charts (batch-job, datapass-lib): {@code --charts}, else
 * {@code DATAPASS_CHARTS}, else the {@code charts/} of the checkout the jar was built in, else of
 * the working directory or one above it.
 */
public final class Charts {
  public static final String ENV = "DATAPASS_CHARTS";
  public static final String BATCH_JOB = "batch-job";
  public static final String USER_POD = "user-pod";

  private final Path directory;

  private Charts(Path directory) {
    this.directory = directory;
  }

  public static Charts locate(Path flag, String fromEnv) throws ConfigException {
    if (flag != null) {
      return checked(flag, "--charts " + flag);
    }
    if (fromEnv != null) {
      return checked(Path.of(fromEnv), ENV + "=" + fromEnv);
    }
    for (Path start : starts()) {
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        if (holdsCharts(dir.resolve("charts"))) {
          return new Charts(dir.resolve("charts"));
        }
      }
    }
    throw new ConfigException(
        "cannot find the datapass charts: give --charts DIR or set "
            + ENV
            + " (the charts/ directory of a datapass checkout)");
  }

  public Path directory() {
    return directory;
  }

  /** A copy of one chart to render or install; see {@link StagedChart}. */
  public StagedChart stage(String chart) throws ConfigException {
    Path source = directory.resolve(chart);
    if (!Files.isRegularFile(source.resolve("Chart.yaml"))) {
      throw new ConfigException("no chart " + chart + " in " + directory);
    }
    return StagedChart.copyOf(source);
  }

  private static Charts checked(Path dir, String what) throws ConfigException {
    if (!holdsCharts(dir)) {
      throw new ConfigException(what + " holds no " + BATCH_JOB + "/Chart.yaml");
    }
    return new Charts(dir.toAbsolutePath());
  }

  private static boolean holdsCharts(Path dir) {
    return Files.isRegularFile(dir.resolve(BATCH_JOB).resolve("Chart.yaml"));
  }

  private static List<Path> starts() {
    List<Path> starts = new ArrayList<>();
    try {
      var source = Charts.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        starts.add(Path.of(source.getLocation().toURI()).toAbsolutePath());
      }
    } catch (URISyntaxException | IllegalArgumentException | SecurityException notAFile) {
      // a jar somewhere else: the working directory may still lead there
    }
    starts.add(Path.of("").toAbsolutePath());
    return starts;
  }
}
