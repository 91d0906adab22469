package io.datapass.cleanup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.cleanup.CleanupReport.StoredObject;
import io.datapass.cleanup.OutputTree.OutputFile;
import io.datapass.common.ConfigException;
import io.datapass.transfer.engine.ParallelRunner;
import io.datapass.transfer.engine.ParallelRunner.Outcome;
import io.datapass.transfer.engine.RetryPolicy;
import io.datapass.common.Secrets;
import io.datapass.transfer.engine.Uploader;
import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.StorageClients;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads a finished job's outputs, then removes what it no longer needs. Removal happens only after every upload
 * (the outputs and the manifest listing them) was verified by the storage: a failure leaves everything in place.
 */
final class CleanupJob {
  private static final Logger log = LoggerFactory.getLogger(CleanupJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CleanupOptions options;
  private final Map<String, String> env;

  CleanupJob(CleanupOptions options, Map<String, String> env) {
    this.options = options;
    this.env = env;
  }

  CleanupReport run() throws ConfigException, IOException {
    long started = System.nanoTime();
    Secrets.hideIn(options.uploadTo());
    log.info("cleanup starting: {}", options.describe());
    if (!Files.isDirectory(options.output())) {
      throw new ConfigException("--output " + options.output() + " is not a directory");
    }
    KubernetesObjects kubernetes =
        options.delete().isEmpty() ? null : KubernetesObjects.inCluster(env, KubernetesObjects.SERVICE_ACCOUNT);
    OutputTree tree = OutputTree.scan(options.output());
    log.info("{}: {} files, {} bytes", options.output(), tree.files().size(), tree.bytes());
    List<StoredObject> stored = new ArrayList<>();
    List<Path> scratchFiles = new ArrayList<>();
    try (SinkRegistry sinks = sinks()) {
      Uploader uploader = new Uploader(sinks, RetryPolicy.standard(options.retries()));
      if (options.mode() == CleanupOptions.Mode.ZIP) {
        Files.createDirectories(options.scratch());
        Path zip = options.scratch().resolve(options.job() + "-output.zip");
        scratchFiles.add(zip);
        tree.zipTo(zip, options.compression());
        log.info("{}: zipped {} files into {} bytes", zip, tree.files().size(), Files.size(zip));
        stored.add(upload(uploader, zip, zip.getFileName().toString(), "(zip of " + options.output() + ")"));
      } else {
        stored.addAll(uploadEach(uploader, tree.files()));
      }
      Path manifest = options.scratch().resolve(options.job() + "-output.manifest.json");
      Files.createDirectories(options.scratch());
      scratchFiles.add(manifest);
      Files.writeString(manifest, manifestJson(tree, stored));
      upload(uploader, manifest, manifest.getFileName().toString(), "(manifest)");
    } catch (IOException e) {
      throw new IOException(e.getMessage() + "; nothing was removed", e);
    } finally {
      for (Path file : scratchFiles) {
        Files.deleteIfExists(file);
      }
    }
    List<String> removed = new ArrayList<>();
    try {
      for (Path path : options.remove()) {
        removeContents(path);
        removed.add(path.toString());
      }
      for (KubernetesObjects.Target target : options.delete()) {
        kubernetes.delete(target);
        removed.add(target.toString());
      }
    } catch (IOException e) {
      throw new IOException("the outputs are stored" + (removed.isEmpty() ? "" : " and " + removed + " removed")
          + ", but " + e.getMessage(), e);
    }
    double seconds = Math.round((System.nanoTime() - started) / 1e7) / 100.0;
    return new CleanupReport("ok", options.job(), options.mode().label(), tree.files().size(),
        tree.bytes(), stored, tree.skipped(), removed, seconds);
  }

  private StoredObject upload(Uploader uploader, Path file, String name, String source) throws IOException {
    URI target = under(options.uploadTo(), name);
    Uploader.UploadResult result = uploader.upload(file, target);
    return new StoredObject(withoutQuery(target), source, result.bytes(), result.checksum().toString());
  }

  /** Uploads the files, {@code parallel} at once; any failure fails the whole (every file is tried first). */
  private List<StoredObject> uploadEach(Uploader uploader, List<OutputFile> files) throws IOException {
    List<Callable<StoredObject>> jobs = files.stream().<Callable<StoredObject>>map(
        file -> () -> upload(uploader, file.path(), options.job() + "/" + file.name(), file.name())).toList();
    List<Outcome<StoredObject>> outcomes;
    try {
      outcomes = ParallelRunner.runAll(jobs, options.parallel());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while uploading");
    }
    List<Exception> failures = outcomes.stream().filter(o -> !o.succeeded()).map(Outcome::failure).toList();
    if (!failures.isEmpty()) {
      failures.forEach(f -> log.error("{}", f.getMessage()));
      throw new IOException(failures.size() + " of " + files.size() + " uploads failed; first: "
          + failures.get(0).getMessage(), failures.get(0));
    }
    return outcomes.stream().map(Outcome::value).toList();
  }

  private SinkRegistry sinks() {
    return StorageClients.sinks(new StorageClients.Settings(options.gcsEndpoint(), null, options.parallel(), env));
  }

  /** {@code prefix} (ending in '/') with {@code name} appended to its path; its query (CGI) kept. */
  static URI under(URI prefix, String name) {
    try {
      return new URI(prefix.getScheme(), prefix.getRawAuthority() == null ? null : prefix.getAuthority(),
          prefix.getPath() + name, prefix.getQuery(), null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot put " + name + " under " + prefix + ": " + e.getMessage(), e);
    }
  }

  /** For the manifest and report: a query may carry credentials (XRootD authz), so it is left out. */
  private static String withoutQuery(URI uri) {
    String text = uri.toString();
    int query = text.indexOf('?');
    return query < 0 ? text : text.substring(0, query);
  }

  private String manifestJson(OutputTree tree, List<StoredObject> stored) throws JsonProcessingException {
    List<Map<String, Object>> files = tree.files().stream()
        .map(f -> Map.<String, Object>of("name", f.name(), "bytes", f.bytes())).toList();
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of(
        "job", options.job(), "mode", options.mode().label(), "objects", stored, "files", files,
        "skipped", tree.skipped()));
  }

  /** Deletes a file, or everything inside a directory (the directory itself may be a volume's mount point). */
  private static void removeContents(Path path) throws IOException {
    if (!Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(path);
      log.info("removed {}", path);
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path inside : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!inside.equals(path)) {
          Files.delete(inside);
        }
      }
    }
    log.info("removed what was inside {}", path);
  }

  static String toJson(CleanupReport report) throws JsonProcessingException {
    return JSON.writeValueAsString(report);
  }
}
