package io.datapass.downloader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.common.AgentMain;
import io.datapass.common.ConfigException;
import io.datapass.common.Secrets;
import io.datapass.transfer.StorageClients;
import io.datapass.transfer.archive.ArchiveExtractor;
import io.datapass.transfer.archive.ExtractionLimits;
import io.datapass.transfer.engine.Fetcher;
import io.datapass.transfer.engine.ProgressReporter;
import io.datapass.transfer.engine.RetryPolicy;
import io.datapass.transfer.engine.TransferSettings;
import io.datapass.transfer.storage.Locations;
import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.http.HttpCredentials;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the downloader: wires the transfer engine from the options, runs the plan, writes the
 * ready file.
 */
final class DownloadJob {
  private static final Logger log = LoggerFactory.getLogger(DownloadJob.class);

  private final DownloaderOptions options;
  private final Map<String, String> env;

  DownloadJob(DownloaderOptions options, Map<String, String> env) {
    this.options = options;
    this.env = env;
  }

  /**
   * Runs and returns the report; the ready file exists afterwards only if every input succeeded.
   */
  DownloadReport run() throws ConfigException, IOException, InterruptedException {
    log.info(
        "{} {} starting: {}", Main.ROLE, AgentMain.version(DownloadJob.class), options.describe());
    Manifest manifest = ManifestReader.read(options.manifest());
    List<PlannedInput> plan;
    try {
      requireTasksIfIndexGiven(manifest);
      plan = InputPlan.resolve(manifest, options.taskIndex(), options.dest());
    } catch (ConfigException e) {
      throw new ConfigException(options.manifest() + ": " + e.getMessage(), e);
    }
    plan.forEach(input -> Secrets.hideIn(input.source()));
    int parallel =
        firstNonNull(options.parallel(), manifest.parallel(), DownloaderOptions.DEFAULT_PARALLEL);
    int retries =
        firstNonNull(options.retries(), manifest.retries(), DownloaderOptions.DEFAULT_RETRIES);
    log.info(
        "{}: {} inputs into {}, parallel {}, retries {}, task index {}",
        Main.ROLE,
        plan.size(),
        options.dest(),
        parallel,
        retries,
        options.taskIndex() == null ? "-" : options.taskIndex());
    LocalPaths.requireDest(options.dest());
    LocalPaths.requireReadyFileDirectory(options.readyFile());

    TransferSettings settings =
        TransferSettings.defaults()
            .withRetryPolicy(RetryPolicy.standard(retries))
            .withProgressInterval(options.progressInterval())
            .withFsync(options.fsync());
    DownloadReport report;
    try (SourceRegistry sources = sources(parallel);
        ProgressReporter progress =
            new ProgressReporter(settings.progressInterval(), settings.stallTimeout())) {
      for (PlannedInput input : plan) {
        if (!sources.supports(input.source().getScheme())) {
          throw new ConfigException(
              options.manifest()
                  + ": "
                  + input.field()
                  + ".source: unsupported scheme '"
                  + input.source().getScheme()
                  + "' in "
                  + Locations.withoutSecrets(input.source())
                  + " (supported: "
                  + sources.schemes()
                  + ")");
        }
      }
      Downloader downloader =
          new Downloader(
              new Fetcher(sources, settings, progress),
              new ArchiveExtractor(
                  new ExtractionLimits(
                      options.maxUnpackBytes(),
                      options.maxUnpackEntries(),
                      options.maxUnpackRatio())),
              parallel,
              options.dest());
      report = downloader.run(plan);
    }
    if (report.succeeded()) {
      ReadyFile.write(options.readyFile(), toJson(report));
      log.info(
          "all {} inputs ready ({} bytes); wrote {}",
          report.inputs(),
          report.bytes(),
          options.readyFile());
    } else {
      log.error(
          "{} of {} inputs failed; {} not written",
          report.failed(),
          report.inputs(),
          options.readyFile());
    }
    return report;
  }

  /**
   * The summary as JSON, masked: it is printed and written to the ready file, which the payload
   * reads, and error texts in it may quote a URL.
   */
  static String toJson(DownloadReport report) throws JsonProcessingException {
    return Secrets.mask(new ObjectMapper().writeValueAsString(report));
  }

  private SourceRegistry sources(int parallel) throws ConfigException {
    return StorageClients.sources(
        new StorageClients.Settings(options.gcsEndpoint(), httpCredentials(), parallel, env));
  }

  private HttpCredentials httpCredentials() throws ConfigException {
    try {
      if (options.httpTokenFile() != null && options.httpBasicAuthFile() != null) {
        throw new ConfigException("give --http-token-file or --http-basic-auth-file, not both");
      }
      if (options.httpTokenFile() != null) {
        return HttpCredentials.bearerTokenFile(options.httpTokenFile())
            .forOrigins(options.httpCredentialOrigins());
      }
      if (options.httpBasicAuthFile() != null) {
        return HttpCredentials.basicAuthFile(options.httpBasicAuthFile())
            .forOrigins(options.httpCredentialOrigins());
      }
      return null;
    } catch (IOException e) {
      throw new ConfigException("cannot read HTTP credentials: " + e.getMessage(), e);
    }
  }

  /**
   * {@code --task-index} on a manifest without tasks chooses nothing: said, not ignored. The same
   * index from {@code JOB_COMPLETION_INDEX} is normal (every index fetches the shared inputs).
   */
  private void requireTasksIfIndexGiven(Manifest manifest) throws ConfigException {
    if (!manifest.tasks().isEmpty() || options.taskIndex() == null) {
      return;
    }
    if (options.taskIndexGiven()) {
      throw new ConfigException(
          "--task-index "
              + options.taskIndex()
              + " given, but the manifest has no tasks (only shared inputs): drop --task-index,"
              + " or give the manifest 'tasks'");
    }
    log.info(
        "JOB_COMPLETION_INDEX {}: the manifest has no tasks, so every index fetches its shared"
            + " inputs",
        options.taskIndex());
  }

  @SafeVarargs
  private static <T> T firstNonNull(T... values) {
    for (T value : values) {
      if (value != null) {
        return value;
      }
    }
    throw new IllegalArgumentException("no value");
  }
}
