package io.datapass.cli.helm;

import io.datapass.cli.TemporaryDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A temporary copy of a chart with its symbolic links followed: batch-job reaches datapass-lib
 * through one, and Helm's loader prints a line on stderr for each link it follows, from native
 * code, around every render.
 */
public final class StagedChart implements AutoCloseable {
  private final TemporaryDirectory copy;
  private final Path chart;

  private StagedChart(TemporaryDirectory copy, Path chart) {
    this.copy = copy;
    this.chart = chart;
  }

  static StagedChart copyOf(Path source) {
    try {
      TemporaryDirectory copy = TemporaryDirectory.create("datapass-chart-");
      Path chart = copy.resolve(source.getFileName().toString());
      try (Stream<Path> files = Files.walk(source, FileVisitOption.FOLLOW_LINKS)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Path target = chart.resolve(source.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.copy(file, target);
          }
        }
      }
      return new StagedChart(copy, chart);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the chart " + source + ": " + e.getMessage(), e);
    }
  }

  public Path path() {
    return chart;
  }

  @Override
  public void close() {
    copy.close();
  }
}
