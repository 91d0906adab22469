package io.datapass.sidecar;

import io.datapass.transfer.engine.ParallelRunner;
import io.datapass.transfer.engine.ParallelRunner.Outcome;
import io.datapass.transfer.engine.Uploader;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.UploadPrefix;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads every regular file under {@code output/} to {@code <prefix><path>} through the transfer
 * engine, which verifies each one and never leaves a partial object under a final name. Nothing is
 * replaced: the engine looks first, so a rerun finds the same bytes stored and does not send them
 * again, and other bytes under the name are a failure. (No record of earlier uploads is kept in the
 * workdir: the payload writes there, and could forge it.) Symbolic links are never followed (one
 * could lead anywhere on the node) and, like devices and pipes, are left out with a warning.
 */
final class OutputUploads {
  private static final Logger log = LoggerFactory.getLogger(OutputUploads.class);

  /**
   * One output stored under its target; {@code alreadyStored} when the same bytes were there (an
   * earlier run of the sidecar stored them) and were not sent again.
   */
  record Stored(String file, String target, long bytes, String checksum, boolean alreadyStored) {}

  /**
   * What an upload round stored, and the failures (one message per file).
   *
   * @param conflict some output's name already holds other content: no rerun changes that
   */
  record Result(List<Stored> stored, List<String> failures, boolean conflict) {
    boolean succeeded() {
      return failures.isEmpty();
    }
  }

  private final Path output;
  private final URI prefix;
  private final Uploader uploader;
  private final SidecarMetrics metrics;
  private final int parallel;

  OutputUploads(Path output, URI prefix, Uploader uploader, SidecarMetrics metrics, int parallel) {
    this.output = output;
    this.prefix = prefix;
    this.uploader = uploader;
    this.metrics = metrics;
    this.parallel = parallel;
  }

  /**
   * Uploads what is not stored yet, {@code parallel} at once; every file is tried even when one
   * fails.
   */
  Result uploadAll() throws IOException, InterruptedException {
    List<Path> files = regularFiles();
    List<Callable<Stored>> jobs =
        files.stream().<Callable<Stored>>map(file -> () -> upload(file)).toList();
    List<Stored> stored = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    boolean conflict = false;
    for (Outcome<Stored> outcome : ParallelRunner.runAll(jobs, parallel)) {
      if (outcome.succeeded()) {
        stored.add(outcome.value());
      } else {
        metrics.uploadFailed();
        conflict |= outcome.failure() instanceof ObjectExistsException;
        failures.add(outcome.failure().getMessage());
        log.error("{}", outcome.failure().getMessage());
      }
    }
    log.info(
        "{} outputs stored under {} ({} already there), {} failed",
        stored.size(),
        UploadPrefix.withoutQuery(prefix),
        stored.stream().filter(Stored::alreadyStored).count(),
        failures.size());
    return new Result(stored, failures, conflict);
  }

  private Stored upload(Path file) throws IOException {
    String name = output.relativize(file).toString().replace('\\', '/');
    Uploader.UploadResult result = uploader.upload(file, UploadPrefix.under(prefix, name), false);
    if (!result.alreadyStored()) {
      metrics.uploaded(result.bytes());
    }
    return new Stored(
        name,
        UploadPrefix.withoutQuery(result.target()),
        result.bytes(),
        result.checksum().toString(),
        result.alreadyStored());
  }

  private List<Path> regularFiles() throws IOException {
    if (!Files.isDirectory(output)) {
      log.info("{} does not exist: no outputs", output);
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(output)) {
      for (Path path : walk.sorted().toList()) {
        BasicFileAttributes attributes =
            Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isRegularFile()) {
          files.add(path);
        } else if (!attributes.isDirectory()) {
          log.warn(
              "{}: {} left out (only regular files are uploaded)",
              path,
              attributes.isSymbolicLink() ? "symbolic link" : "special file");
        }
      }
    }
    return files;
  }
}
