package io.datapass.downloader;

import io.datapass.common.ConfigException;
import io.datapass.common.Flags;
import io.datapass.transfer.archive.ExtractionLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The downloader's settings, from flags and the pod's environment (flags win). Paths to secrets
 * only: their contents are read by the sources, never logged.
 *
 * @param parallel null means the manifest's value, else 4
 * @param retries null means the manifest's value, else 5
 * @param taskIndexGiven whether the task index came from {@code --task-index}, not from {@code
 *     JOB_COMPLETION_INDEX}, which every pod of an Indexed Job has whether its manifest has tasks
 *     or not
 */
record DownloaderOptions(
    boolean help,
    Path manifest,
    Path dest,
    Path readyFile,
    Integer parallel,
    Integer retries,
    Integer taskIndex,
    boolean taskIndexGiven,
    String gcsEndpoint,
    Path httpTokenFile,
    Path httpBasicAuthFile,
    Set<String> httpCredentialOrigins,
    Duration progressInterval,
    long maxUnpackBytes,
    int maxUnpackEntries,
    int maxUnpackRatio,
    boolean fsync) {

  static final int DEFAULT_PARALLEL = 4;
  static final int DEFAULT_RETRIES = 5;

  /**
   * The effective settings for the start-up log line: paths of secret files, never their contents.
   */
  String describe() {
    return "manifest "
        + manifest
        + ", dest "
        + dest
        + ", ready file "
        + readyFile
        + (parallel == null ? "" : ", parallel " + parallel)
        + (retries == null ? "" : ", retries " + retries)
        + (taskIndex == null ? "" : ", task index " + taskIndex)
        + (gcsEndpoint == null ? "" : ", gcs endpoint " + gcsEndpoint)
        + (httpTokenFile == null ? "" : ", http token from " + httpTokenFile)
        + (httpBasicAuthFile == null ? "" : ", http basic auth from " + httpBasicAuthFile)
        + (httpCredentialOrigins.isEmpty()
            ? ""
            : ", http credentials for " + String.join(", ", httpCredentialOrigins))
        + (fsync ? ", fsync" : "");
  }

  static DownloaderOptions parse(String[] args, Map<String, String> env) throws ConfigException {
    CommandLine line = Flags.parse(options(), args, usage());
    if (line.hasOption("help")) {
      return new DownloaderOptions(
          true, null, null, null, null, null, null, false, null, null, null, Set.of(), null, 0, 0,
          0, false);
    }
    if (!line.hasOption("manifest")) {
      throw new ConfigException("--manifest is required\n" + usage());
    }
    Path tokenFile =
        FlagChecks.readableFile(line, "http-token-file", "DATAPASS_HTTP_TOKEN_FILE", env);
    Path basicAuthFile =
        FlagChecks.readableFile(line, "http-basic-auth-file", "DATAPASS_HTTP_BASIC_AUTH_FILE", env);
    return new DownloaderOptions(
        false,
        Path.of(line.getOptionValue("manifest")),
        Path.of(line.getOptionValue("dest", "/workdir/input")).toAbsolutePath().normalize(),
        Path.of(line.getOptionValue(ReadyFile.FLAG, ReadyFile.DEFAULT)).toAbsolutePath(),
        Flags.integer(line, "parallel", null, null, 1, 256),
        Flags.integer(line, "retries", null, null, 0, 100),
        Flags.integer(
            line,
            "task-index",
            env.get("JOB_COMPLETION_INDEX"),
            "JOB_COMPLETION_INDEX",
            0,
            Integer.MAX_VALUE),
        line.hasOption("task-index"),
        FlagChecks.gcsEndpoint(line, env),
        tokenFile,
        basicAuthFile,
        FlagChecks.credentialOrigins(line, env, tokenFile != null || basicAuthFile != null),
        Flags.seconds(line, "progress-interval", "10", 0.1, 3600),
        Flags.integer(
                line,
                "max-unpack-gib",
                Long.toString(ExtractionLimits.DEFAULT_MAX_BYTES >> 30),
                null,
                1,
                1 << 20)
            * (1L << 30),
        Flags.integer(
            line,
            "max-unpack-entries",
            Integer.toString(ExtractionLimits.DEFAULT_MAX_ENTRIES),
            null,
            1,
            Integer.MAX_VALUE),
        Flags.integer(
            line,
            "max-unpack-ratio",
            Integer.toString(ExtractionLimits.DEFAULT_MAX_RATIO),
            null,
            1,
            Integer.MAX_VALUE),
        line.hasOption("fsync"));
  }

  static Options options() {
    Options options = new Options();
    options.addOption(
        Option.builder()
            .longOpt("manifest")
            .hasArg()
            .argName("FILE")
            .desc("input manifest (YAML): inputs, tasks, parallel, retries")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("dest")
            .hasArg()
            .argName("DIR")
            .desc(
                "input directory, created if missing; its parent must exist (default /workdir/input)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("ready-file")
            .hasArg()
            .argName("FILE")
            .desc("written last, once every input is fetched and verified (default /workdir/ready)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("parallel")
            .hasArg()
            .argName("N")
            .desc("files fetched at once (default: manifest, else " + DEFAULT_PARALLEL + ")")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("retries")
            .hasArg()
            .argName("N")
            .desc(
                "retries per file on transient failures (default: manifest, else "
                    + DEFAULT_RETRIES
                    + ")")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("task-index")
            .hasArg()
            .argName("N")
            .desc(
                "which manifest task to fetch, for a manifest with tasks (default $JOB_COMPLETION_INDEX)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("gcs-endpoint")
            .hasArg()
            .argName("URL")
            .desc("GCS JSON-API endpoint for non-Google servers (default $STORAGE_EMULATOR_HOST)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("http-token-file")
            .hasArg()
            .argName("FILE")
            .desc(
                "bearer token for the --http-credentials-for origins (default"
                    + " $DATAPASS_HTTP_TOKEN_FILE)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("http-basic-auth-file")
            .hasArg()
            .argName("FILE")
            .desc(
                "'user:password' for the --http-credentials-for origins (default"
                    + " $DATAPASS_HTTP_BASIC_AUTH_FILE)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt(FlagChecks.CREDENTIAL_ORIGINS)
            .hasArg()
            .argName("ORIGINS")
            .desc(
                "comma-separated https origins (https://host[:port]) that the credentials file is"
                    + " sent to, and nothing else; never over plain http (loopback excepted)"
                    + " (default $DATAPASS_HTTP_CREDENTIALS_FOR)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("progress-interval")
            .hasArg()
            .argName("SECONDS")
            .desc(
                "seconds between progress lines, fractions allowed (default 10; the first line of"
                    + " a transfer comes after 2 s)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("max-unpack-gib")
            .hasArg()
            .argName("N")
            .desc(
                "largest size one archive may expand to (default "
                    + (ExtractionLimits.DEFAULT_MAX_BYTES >> 30)
                    + ")")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("max-unpack-entries")
            .hasArg()
            .argName("N")
            .desc(
                "most entries one archive may hold (default "
                    + ExtractionLimits.DEFAULT_MAX_ENTRIES
                    + "; more need a larger heap, about 1 MiB per 2,000)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("max-unpack-ratio")
            .hasArg()
            .argName("N")
            .desc(
                "most times its own size one archive may expand to, past the first "
                    + (ExtractionLimits.RATIO_FREE_BYTES >> 20)
                    + " MiB (default "
                    + ExtractionLimits.DEFAULT_MAX_RATIO
                    + ")")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("fsync")
            .desc(
                "flush each file to disk before its rename: for a persistent volume read after a node crash "
                    + "without a rerun (an emptyDir needs none: every pod restart reruns and reverifies)")
            .build());
    options.addOption(Option.builder("h").longOpt("help").desc("print this help").build());
    return options;
  }

  static String usage() {
    return Flags.usage(
        Main.ROLE + " --manifest FILE [options]",
        "Fetches a job's inputs (root://, gs://, http(s)://, file paths), verifies and unpacks them, then writes the "
            + "ready file.\n\n",
        options(),
        "\nExit codes: 0 all inputs ready; 1 an input failed (may be retried); 2 usage or manifest"
            + " error, or an unsafe archive (no rerun unpacks it).\n"
            + "Google credentials: GOOGLE_APPLICATION_CREDENTIALS or the other Application Default Credentials.");
  }
}
