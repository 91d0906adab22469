package io.datapass.cleanup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.common.AgentMain;
import io.datapass.common.ConfigException;
import io.datapass.common.ExitCode;
import io.datapass.common.Secrets;
import io.datapass.transfer.StorageClients;
import io.datapass.transfer.storage.ContainedTree;
import io.datapass.transfer.storage.MissingBucketException;
import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.UploadPrefix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads a finished job's outputs, then removes what it no longer needs. Removal happens only
 * after every upload (the outputs and the manifest listing them) was verified by the storage: a
 * failure leaves everything in place. A rerun (the Job retries a pod that failed after its uploads)
 * that finds its outputs stored, as their manifest says, uploads nothing and goes on with the
 * removals and deletions left.
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
    try (ObjectDeleter deleter =
            options.delete().isEmpty() ? null : ObjectDeleter.inCluster(env, options.retries());
        SinkRegistry sinks = sinks();
        SourceRegistry sources = sources()) {
      Destination destination = new Destination(options.uploadTo(), sinks, sources);
      JobOutcome waitedFor = JobWaiter.awaitIfAsked(options, env, destination);
      OutputTree tree = OutputTree.scan(options.output());
      log.info("{}: {} files, {} bytes", options.output(), tree.files().size(), tree.bytes());
      Optional<OutputManifest> stored = storedBefore(destination, tree);
      // A rerun finds the outputs an earlier run stored (and maybe removed): nothing is missing.
      String warning = stored.isPresent() ? null : emptyOutputWarning(tree);
      OutputManifest manifest =
          stored.isPresent() ? stored.get() : upload(destination, sinks, tree, jobState(waitedFor));
      List<String> removed = removeAndDelete(deleter);
      double seconds = Math.round((System.nanoTime() - started) / 1e7) / 100.0;
      return new CleanupReport(
          "ok",
          options.job(),
          options.mode().label(),
          manifest.files().size(),
          manifest.bytes(),
          manifest.objects(),
          stored.isPresent(),
          manifest.skipped(),
          removed,
          waitedFor,
          warning,
          seconds);
    }
  }

  /**
   * A payload that wrote to the wrong path leaves an empty output directory: said loudly, or a
   * failure before anything is stored or removed when {@code --require-outputs} asks.
   */
  private String emptyOutputWarning(OutputTree tree) throws IOException {
    if (!tree.files().isEmpty()) {
      return null;
    }
    if (options.requireOutputs()) {
      throw new IOException(
          "--output "
              + options.output()
              + " holds no file and --require-outputs is set; nothing was uploaded or removed");
    }
    String warning =
        "--output " + options.output() + " holds no file: nothing but an empty result is stored";
    log.warn(warning);
    return warning;
  }

  /**
   * The manifest of an earlier run of the job, when every object it lists is stored as it says and
   * every output file left here is in it (none may be left: the earlier run removed them). Other
   * content is not replaced unless {@code --overwrite} says so.
   */
  private Optional<OutputManifest> storedBefore(Destination destination, OutputTree tree)
      throws ConfigException, IOException {
    String name = OutputManifest.fileName(options.job());
    String where = UploadPrefix.withoutQuery(destination.resolve(name));
    Optional<String> difference;
    try {
      Optional<OutputManifest> manifest = destination.storedManifest(name);
      if (manifest.isEmpty()) {
        return Optional.empty();
      }
      difference =
          !manifest.get().mode().equals(options.mode().label())
              ? Optional.of("it is of mode " + manifest.get().mode())
              : destination.firstNotStored(manifest.get(), options.job());
      if (difference.isEmpty()) {
        difference = manifest.get().firstUnlisted(tree.files());
      }
      if (difference.isEmpty()) {
        log.info(
            "{}: every object it lists is stored as it says ({} in all); not uploading the outputs again",
            where,
            manifest.get().objects().size());
        return manifest;
      }
    } catch (Destination.ConflictException e) {
      difference = Optional.of(e.getMessage());
    } catch (IOException e) {
      throw missingBucketOr(
          e,
          "; nothing was uploaded or removed",
          new IOException(
              "cannot tell what "
                  + where
                  + " says is stored: "
                  + e.getMessage()
                  + "; nothing was uploaded or removed",
              e));
    }
    if (options.overwrite()) {
      log.warn(
          "{} is of another run ({}); --overwrite: uploading again, replacing what is stored",
          where,
          difference.get());
      return Optional.empty();
    }
    throw new ConfigException(
        where
            + " says other outputs are stored ("
            + difference.get()
            + "); nothing was uploaded or removed (--overwrite replaces them)");
  }

  /**
   * How the job ended, for the manifest: as the wait saw it, else as {@code --job-state} says; null
   * when neither tells.
   */
  private JobState jobState(JobOutcome waitedFor) {
    return waitedFor != null
        ? new JobState(waitedFor.state(), waitedFor.reason())
        : JobState.fromFlag(options.jobState());
  }

  private OutputManifest upload(
      Destination destination, SinkRegistry sinks, OutputTree tree, JobState jobState)
      throws ConfigException, IOException {
    try {
      OutputUpload upload = new OutputUpload(options, destination, sinks);
      OutputManifest manifest = upload.outputs(tree, jobState);
      upload.manifest(manifest);
      return manifest;
    } catch (io.datapass.transfer.storage.ObjectExistsException e) {
      throw new ConfigException(e.getMessage() + "; nothing was removed (--overwrite replaces it)");
    } catch (IOException e) {
      throw missingBucketOr(
          e, "; nothing was removed", new IOException(e.getMessage() + "; nothing was removed", e));
    }
  }

  /**
   * A bucket that does not exist is a configuration error no retry fixes (exit 2), told with the
   * flag that named it and {@code what}; anything else is {@code otherwise}.
   */
  private IOException missingBucketOr(IOException failure, String what, IOException otherwise)
      throws ConfigException {
    Optional<MissingBucketException> missing = MissingBucketException.in(failure);
    if (missing.isPresent()) {
      throw new ConfigException(
          missing.get().describe("--upload-to", UploadPrefix.withoutQuery(options.uploadTo()))
              + what,
          failure);
    }
    return otherwise;
  }

  private List<String> removeAndDelete(ObjectDeleter deleter) throws ConfigException, IOException {
    List<String> removed = new ArrayList<>();
    try {
      for (Path path : options.remove()) {
        removeContents(path);
        removed.add(path.toString());
      }
      for (DeleteTarget target : options.delete()) {
        deleter.delete(target);
        removed.add(target.toString());
      }
    } catch (ConfigException e) {
      throw new ConfigException(storedAnd(removed) + e.getMessage());
    } catch (IOException e) {
      throw new IOException(storedAnd(removed) + e.getMessage(), e);
    }
    return removed;
  }

  private static String storedAnd(List<String> removed) {
    return "the outputs are stored"
        + (removed.isEmpty() ? "" : " and " + removed + " removed")
        + ", but ";
  }

  private SinkRegistry sinks() {
    return StorageClients.sinks(storage());
  }

  /** Sources too: a rerun reads back the manifest an earlier run stored. */
  private SourceRegistry sources() {
    return StorageClients.sources(storage());
  }

  private StorageClients.Settings storage() {
    return new StorageClients.Settings(options.gcsEndpoint(), null, options.parallel(), env);
  }

  /**
   * Deletes a file, or everything inside a directory (the directory itself may be a volume's mount
   * point).
   */
  private static void removeContents(Path path) throws IOException {
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(path);
      log.info("removed {}", path);
      return;
    }
    // a payload's tree: deleted from the directory down, never through a link on the way
    new ContainedTree(path).removeContents();
    log.info("removed what was inside {}", path);
  }

  static String toJson(CleanupReport report) throws JsonProcessingException {
    return JSON.writeValueAsString(report);
  }

  /** The JSON result of a run that failed: what it was for and why, on one line. */
  static String failedJson(CleanupOptions options, Exception failure)
      throws JsonProcessingException {
    Map<String, Object> result = new java.util.LinkedHashMap<>();
    result.put("status", "failed");
    result.put("job", options.job());
    result.put("mode", options.mode().label());
    result.put(
        "exitCode", failure instanceof ConfigException ? ExitCode.USAGE : ExitCode.WORK_FAILED);
    result.put("error", AgentMain.oneLine(failure));
    return JSON.writeValueAsString(result);
  }
}
