package io.datapass.downloader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.transfer.Fetcher;
import io.datapass.transfer.ProgressReporter;
import io.datapass.transfer.RetryPolicy;
import io.datapass.transfer.Secrets;
import io.datapass.transfer.TransferSettings;
import io.datapass.transfer.archive.ArchiveExtractor;
import io.datapass.transfer.archive.ExtractionLimits;
import io.datapass.transfer.source.FileSource;
import io.datapass.transfer.source.GcsSource;
import io.datapass.transfer.source.HttpCredentials;
import io.datapass.transfer.source.HttpSource;
import io.datapass.transfer.source.ObjectSource;
import io.datapass.transfer.source.SourceRegistry;
import io.datapass.transfer.source.XrootdSource;
import io.datapass.xrootd.XrootdClient;
import io.datapass.xrootd.XrootdSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of the downloader: wires the transfer engine from the options, runs the plan, writes the ready file. */
final class DownloadJob {
  private static final Logger log = LoggerFactory.getLogger(DownloadJob.class);

  private final DownloaderOptions options;
  private final Map<String, String> env;

  DownloadJob(DownloaderOptions options, Map<String, String> env) {
    this.options = options;
    this.env = env;
  }

  /** Runs and returns the report; the ready file exists afterwards only if every input succeeded. */
  DownloadReport run() throws ConfigException, IOException, InterruptedException {
    log.info("downloader {} starting: {}", version(), options.describe());
    Manifest manifest = ManifestReader.read(options.manifest());
    List<PlannedInput> plan = InputPlan.resolve(manifest, options.taskIndex(), options.dest());
    plan.forEach(input -> Secrets.hideIn(input.source()));
    int parallel = firstNonNull(options.parallel(), manifest.parallel(), DownloaderOptions.DEFAULT_PARALLEL);
    int retries = firstNonNull(options.retries(), manifest.retries(), DownloaderOptions.DEFAULT_RETRIES);
    log.info("downloader: {} inputs into {}, parallel {}, retries {}, task index {}", plan.size(),
        options.dest(), parallel, retries, options.taskIndex() == null ? "-" : options.taskIndex());
    Files.deleteIfExists(options.readyFile());
    Files.createDirectories(options.dest());

    TransferSettings settings = TransferSettings.defaults()
        .withRetryPolicy(RetryPolicy.standard(retries))
        .withProgressInterval(options.progressInterval())
        .withFsync(options.fsync());
    DownloadReport report;
    try (SourceRegistry sources = sources(parallel);
        ProgressReporter progress = new ProgressReporter(settings.progressInterval(), settings.stallTimeout())) {
      for (PlannedInput input : plan) {
        if (!sources.supports(input.source().getScheme())) {
          throw new ConfigException(input.field() + ".source: unsupported scheme '" + input.source().getScheme()
              + "' in " + input.source() + " (supported: " + sources.schemes() + ")");
        }
      }
      Downloader downloader = new Downloader(new Fetcher(sources, settings, progress),
          new ArchiveExtractor(new ExtractionLimits(options.maxUnpackBytes(), options.maxUnpackEntries())), parallel);
      report = downloader.run(plan);
    }
    if (report.succeeded()) {
      writeReadyFile(toJson(report));
      log.info("all {} inputs ready ({} bytes); wrote {}", report.inputs(), report.bytes(), options.readyFile());
    } else {
      log.error("{} of {} inputs failed; {} not written", report.failed(), report.inputs(), options.readyFile());
    }
    return report;
  }

  private static String version() {
    String version = DownloadJob.class.getPackage().getImplementationVersion();
    return version == null ? "(development build)" : version;
  }

  static String toJson(DownloadReport report) throws JsonProcessingException {
    return new ObjectMapper().writeValueAsString(report);
  }

  private SourceRegistry sources(int parallel) throws ConfigException {
    HttpCredentials credentials = httpCredentials();
    Supplier<ObjectSource> http = memoize(() -> new HttpSource(credentials));
    return new SourceRegistry()
        .register("http", http)
        .register("https", http)
        .register("file", FileSource::new)
        .register("gs", () -> GcsSource.connect(options.gcsEndpoint(), env))
        .register("root", () -> XrootdSource.sharingReadAhead(new XrootdClient(XrootdSettings.defaults()), parallel));
  }

  private HttpCredentials httpCredentials() throws ConfigException {
    try {
      if (options.httpTokenFile() != null && options.httpBasicAuthFile() != null) {
        throw new ConfigException("give --http-token-file or --http-basic-auth-file, not both");
      }
      if (options.httpTokenFile() != null) {
        return HttpCredentials.bearerTokenFile(options.httpTokenFile());
      }
      if (options.httpBasicAuthFile() != null) {
        return HttpCredentials.basicAuthFile(options.httpBasicAuthFile());
      }
      return null;
    } catch (IOException e) {
      throw new ConfigException("cannot read HTTP credentials: " + e.getMessage(), e);
    }
  }

  /** Written to a temporary name and renamed, so the payload never sees a half-written ready file. */
  private void writeReadyFile(String content) throws IOException {
    Path ready = options.readyFile();
    Files.createDirectories(ready.getParent());
    Path temp = ready.resolveSibling("." + ready.getFileName() + ".tmp");
    Files.writeString(temp, content + "\n", StandardCharsets.UTF_8);
    Files.move(temp, ready, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Builds the value on first use only: a job without http inputs never loads the HTTP client. */
  private static <T> Supplier<T> memoize(Supplier<T> factory) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = factory.get();
        }
        return value;
      }
    };
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
