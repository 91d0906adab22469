package io.datapass.sidecar;

import io.datapass.transfer.engine.ParallelRunner;
import io.datapass.transfer.engine.ParallelRunner.Outcome;
import io.datapass.transfer.engine.Uploader;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
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
 * engine, which verifies each one and never leaves a partial object under a final name. Files the
 * ledger records unchanged are not uploaded again. Symbolic links are never followed (one could
 * lead anywhere on the node) and, like devices and pipes, are left out with a warning.
 */
final class OutputUploads {
  private static final Logger log = LoggerFactory.getLogger(OutputUploads.class);

  /**
   * One output stored under its target; {@code earlier} when a previous run of the sidecar stored
   * it.
   */
  record Stored(String file, String target, long bytes, String checksum, boolean earlier) {}

  /** What an upload round stored, and the failures (one message per file). */
  record Result(List<Stored> stored, List<String> failures) {
    boolean succeeded() {
      return failures.isEmpty();
    }
  }

  private final Path output;
  private final URI prefix;
  private final Uploader uploader;
  private final UploadLedger ledger;
  private final SidecarMetrics metrics;
  private final int parallel;

  OutputUploads(
      Path output,
      URI prefix,
      Uploader uploader,
      UploadLedger ledger,
      SidecarMetrics metrics,
      int parallel) {
    this.output = output;
    this.prefix = prefix;
    this.uploader = uploader;
    this.ledger = ledger;
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
    for (Outcome<Stored> outcome : ParallelRunner.runAll(jobs, parallel)) {
      if (outcome.succeeded()) {
        stored.add(outcome.value());
      } else {
        metrics.uploadFailed();
        failures.add(outcome.failure().getMessage());
        log.error("{}", outcome.failure().getMessage());
      }
    }
    log.info(
        "{} outputs stored under {} ({} by an earlier run), {} failed",
        stored.size(),
        withoutQuery(prefix),
        stored.stream().filter(Stored::earlier).count(),
        failures.size());
    return new Result(stored, failures);
  }

  private Stored upload(Path file) throws IOException {
    String name = output.relativize(file).toString().replace('\\', '/');
    URI target = under(prefix, name);
    String recordedTarget = withoutQuery(target);
    BasicFileAttributes before =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    String modified = before.lastModifiedTime().toInstant().toString();
    UploadLedger.Entry known = ledger.find(name, before.size(), modified, recordedTarget);
    if (known != null) {
      return new Stored(name, recordedTarget, known.bytes(), known.checksum(), true);
    }
    // Only a version this sidecar stored itself is replaced; anything else under the name is not
    // ours to overwrite.
    Uploader.UploadResult result =
        uploader.upload(file, target, ledger.storedBefore(name, recordedTarget));
    metrics.uploaded(result.bytes());
    BasicFileAttributes after =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (after.size() == before.size()
        && after.lastModifiedTime().equals(before.lastModifiedTime())) {
      ledger.record(
          new UploadLedger.Entry(
              name, before.size(), modified, recordedTarget, result.checksum().toString()));
    } else {
      log.warn(
          "{} changed while it was uploaded: not recorded, so it is uploaded again next time",
          file);
    }
    return new Stored(name, recordedTarget, result.bytes(), result.checksum().toString(), false);
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

  /**
   * {@code prefix} (ending in '/') with {@code name} appended to its path; its query (XRootD CGI)
   * kept.
   */
  static URI under(URI prefix, String name) {
    try {
      return new URI(
          prefix.getScheme(),
          prefix.getRawAuthority() == null ? null : prefix.getAuthority(),
          prefix.getPath() + name,
          prefix.getQuery(),
          null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "cannot put " + name + " under " + prefix + ": " + e.getMessage(), e);
    }
  }

  /**
   * For the ledger, the logs and the report: a query may carry credentials (XRootD authz), so it is
   * left out.
   */
  static String withoutQuery(URI uri) {
    String text = uri.toString();
    int query = text.indexOf('?');
    return query < 0 ? text : text.substring(0, query);
  }
}
