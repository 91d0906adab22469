package io.datapass.cleanup;

import io.datapass.common.ConfigException;
import io.datapass.common.Flags;
import io.datapass.transfer.storage.UploadPrefix;
import io.datapass.transfer.storage.gcs.GcsClients;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The cleanup agent's settings, from flags and the pod's environment (flags win).
 *
 * @param uploadTo the prefix the outputs go under: {@code gs://bucket/dir/}, {@code
 *     root://host//dir/} or a directory of a mounted filesystem ({@code file:///dir/} or {@code
 *     /dir/})
 * @param remove paths deleted once the upload is verified
 * @param delete Kubernetes objects deleted after that
 * @param overwrite whether an upload may replace an object with other content (never, by default)
 * @param waitFor the Job whose end comes before everything else, or null
 * @param jobState how the job ended, for the manifest ({@code --job-state}); null when not given
 * @param requireOutputs whether an empty output directory fails the run (exit 1) before anything is
 *     stored or removed
 */
record CleanupOptions(
    boolean help,
    String job,
    Path output,
    URI uploadTo,
    Mode mode,
    Path scratch,
    int compression,
    List<Path> remove,
    List<DeleteTarget> delete,
    boolean overwrite,
    int parallel,
    int retries,
    String gcsEndpoint,
    JobWait waitFor,
    String jobState,
    boolean requireOutputs) {

  /** What is uploaded: one zip of the output directory, or each of its files. */
  enum Mode {
    ZIP,
    TREE;

    /** As written on the command line and in reports. */
    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final int DEFAULT_RETRIES = 5;
  static final int DEFAULT_PARALLEL = 4;
  private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

  String describe() {
    return "job "
        + job
        + (waitFor == null ? "" : ", first waiting for " + waitFor + " to finish")
        + ", output "
        + output
        + ", upload to "
        + uploadTo
        + ", "
        + mode.label()
        + (mode == Mode.ZIP ? " (deflate level " + compression + ", streamed)" : "")
        + (mode == Mode.TREE ? ", parallel " + parallel : "")
        + ", retries "
        + retries
        + (remove.isEmpty() ? "" : ", then remove " + remove)
        + (delete.isEmpty() ? "" : ", then delete " + delete)
        + (overwrite ? ", replacing what is stored" : "")
        + (gcsEndpoint == null ? "" : ", gcs endpoint " + gcsEndpoint)
        + (jobState == null ? "" : ", job state " + jobState)
        + (requireOutputs ? ", outputs required" : "");
  }

  static CleanupOptions parse(String[] args, Map<String, String> env) throws ConfigException {
    CommandLine line = Flags.parse(options(), args, usage(), "remove", "delete");
    if (line.hasOption("help")) {
      return new CleanupOptions(
          true, null, null, null, null, null, 0, List.of(), List.of(), false, 0, 0, null, null,
          null, false);
    }
    return consistent(
        new CleanupOptions(
            false,
            job(
                line.getOptionValue("job", env.get("DATAPASS_JOB")),
                line.hasOption("job") ? "--job" : "DATAPASS_JOB"),
            Path.of(line.getOptionValue("output", "/output")).toAbsolutePath().normalize(),
            uploadTo(line, env),
            mode(line.getOptionValue("mode", "zip")),
            Path.of(line.getOptionValue("scratch", System.getProperty("java.io.tmpdir")))
                .toAbsolutePath()
                .normalize(),
            zipLevel(line),
            line.hasOption("remove")
                ? List.of(line.getOptionValues("remove")).stream()
                    .map(p -> Path.of(p).toAbsolutePath().normalize())
                    .toList()
                : List.of(),
            targets(line.getOptionValues("delete")),
            line.hasOption("overwrite"),
            Flags.integer(line, "parallel", DEFAULT_PARALLEL, 1, 64),
            Flags.integer(line, "retries", DEFAULT_RETRIES, 0, 100),
            gcsEndpoint(line, env),
            JobWait.parse(
                line.getOptionValue("wait-for-job"),
                Flags.integer(line, "wait-timeout", null, null, 1, Integer.MAX_VALUE)),
            jobState(line.getOptionValue("job-state")),
            line.hasOption("require-outputs")));
  }

  /**
   * Deflate's fastest level by default: it still shrinks text (logs: 7x here) at several times the
   * speed of the default level 6, which took 3x the CPU for 4-17% less; already-compressed data
   * (ROOT, HDF5) pass through at little cost either way.
   */
  static final int DEFAULT_ZIP_LEVEL = 1;

  /** {@code --zip-level}, or its former name {@code --compression}. */
  private static int zipLevel(CommandLine line) throws ConfigException {
    return line.hasOption("zip-level") || !line.hasOption("compression")
        ? Flags.integer(line, "zip-level", DEFAULT_ZIP_LEVEL, 0, 9)
        : Flags.integer(line, "compression", DEFAULT_ZIP_LEVEL, 0, 9);
  }

  private static final Pattern JOB_STATE = Pattern.compile("[A-Za-z][A-Za-z0-9_.:-]{0,63}");

  private static String jobState(String value) throws ConfigException {
    if (value != null && !JOB_STATE.matcher(value.strip()).matches()) {
      throw new ConfigException(
          "--job-state must be 1 to 64 letters, digits, '_', '.', ':' or '-' starting with a "
              + "letter (Complete, Failed), got '"
              + value
              + "'");
    }
    return value == null ? null : value.strip();
  }

  /**
   * Refuses what would lose the outputs it stores: a mounted-path destination inside the output
   * directory or a path to remove (the removal would delete what was just stored), and removing the
   * root.
   */
  private static CleanupOptions consistent(CleanupOptions options) throws ConfigException {
    for (Path path : options.remove()) {
      if (path.getParent() == null) {
        throw new ConfigException("--remove " + path + ": refusing to remove the root directory");
      }
    }
    if (options.uploadTo().getScheme().equals("file")) {
      Path destination = Path.of(options.uploadTo().getPath());
      for (Path path : options.remove()) {
        if (destination.startsWith(path)) {
          throw new ConfigException(
              "--upload-to "
                  + destination
                  + "/ is inside --remove "
                  + path
                  + ": the removal would delete the stored outputs");
        }
      }
      if (destination.startsWith(options.output())) {
        throw new ConfigException(
            "--upload-to "
                + destination
                + "/ is inside --output "
                + options.output()
                + ": the outputs would include what is stored");
      }
    }
    return options;
  }

  private static List<DeleteTarget> targets(String[] values) throws ConfigException {
    List<DeleteTarget> targets = new java.util.ArrayList<>();
    for (String value : values == null ? new String[0] : values) {
      targets.add(DeleteTarget.parse(value.strip()));
    }
    return targets;
  }

  private static URI uploadTo(CommandLine line, Map<String, String> env) throws ConfigException {
    URI uri =
        UploadPrefix.parse(
            line.getOptionValue("upload-to", env.get("DATAPASS_UPLOAD_TO")),
            line.hasOption("upload-to") ? "--upload-to" : "DATAPASS_UPLOAD_TO");
    if (uri == null) {
      throw new ConfigException(
          "--upload-to (or DATAPASS_UPLOAD_TO) is required: gs://bucket/dir/ or "
              + "root://host//dir/\n"
              + usage());
    }
    return uri;
  }

  private static String job(String value, String name) throws ConfigException {
    if (value == null || value.isBlank()) {
      throw new ConfigException(
          "--job (or DATAPASS_JOB) is required: the job's name, used in <job>-output.zip\n"
              + usage());
    }
    if (!JOB_NAME.matcher(value).matches()) {
      throw new ConfigException(
          name
              + " must be letters, digits, '.', '_' or '-' (a Kubernetes name), got '"
              + value
              + "'");
    }
    return value;
  }

  private static Mode mode(String value) throws ConfigException {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "zip" -> Mode.ZIP;
      case "tree" -> Mode.TREE;
      default -> throw new ConfigException("--mode must be zip or tree, got '" + value + "'");
    };
  }

  /**
   * {@code --gcs-endpoint} (else {@code STORAGE_EMULATOR_HOST}), refused at start-up when it would
   * carry real credentials in clear, rather than in a failed upload later.
   */
  private static String gcsEndpoint(CommandLine line, Map<String, String> env)
      throws ConfigException {
    String endpoint = line.getOptionValue("gcs-endpoint", env.get("STORAGE_EMULATOR_HOST"));
    GcsClients.requireSafeEndpoint(
        endpoint, env, line.hasOption("gcs-endpoint") ? "--gcs-endpoint" : "STORAGE_EMULATOR_HOST");
    return endpoint;
  }

  static Options options() {
    Options options = new Options();
    options.addOption(
        Option.builder()
            .longOpt("job")
            .hasArg()
            .argName("NAME")
            .desc("the job's name: outputs go to <prefix><job>-output.zip (default $DATAPASS_JOB)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("output")
            .hasArg()
            .argName("DIR")
            .desc("the directory the job wrote its outputs to (default /output)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("upload-to")
            .hasArg()
            .argName("URL")
            .desc(
                "prefix to upload under, ending in '/': gs://bucket/dir/, root://host//dir/ or a directory of a "
                    + "mounted filesystem, /shared/dir/ (default $DATAPASS_UPLOAD_TO)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("mode")
            .hasArg()
            .argName("zip|tree")
            .desc("zip: one <job>-output.zip (default); tree: each file under <prefix><job>/")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("scratch")
            .hasArg()
            .argName("DIR")
            .desc("not used: the zip is streamed to the storage, never written locally")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("zip-level")
            .hasArg()
            .argName("0-9")
            .desc(
                "deflate level of the zip, 0 no compression (default "
                    + DEFAULT_ZIP_LEVEL
                    + ", the fastest: it still shrinks logs about 7x, while level 6 takes 3x the CPU "
                    + "for 4-17% less; already-compressed data such as ROOT or HDF5 files pass at "
                    + "little cost either way)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("compression")
            .hasArg()
            .argName("0-9")
            .desc("former name of --zip-level")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("job-state")
            .hasArg()
            .argName("STATE")
            .desc("how the job ended (Complete, Failed), recorded in the manifest (default: none)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("remove")
            .hasArg()
            .argName("PATH")
            .desc("delete this file or directory once every upload is verified (repeatable)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("delete")
            .hasArg()
            .argName("job/NAME|pvc/NAME")
            .desc(
                "delete this Job (with its pods) or volume claim of the pod's namespace after the uploads and "
                    + "removals, as the pod's service account (repeatable)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("overwrite")
            .desc(
                "replace objects already stored with other content (by default an upload never replaces one: a "
                    + "rerun that finds its own outputs stored goes on without uploading; other content is an error)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("require-outputs")
            .desc(
                "fail (exit 1) when the output directory holds no file, before anything is stored or removed "
                    + "(by default an empty output is stored with a warning)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("parallel")
            .hasArg()
            .argName("N")
            .desc("files uploaded at once in tree mode (default " + DEFAULT_PARALLEL + ")")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("retries")
            .hasArg()
            .argName("N")
            .desc(
                "retries per upload or API request on transient failures (default "
                    + DEFAULT_RETRIES
                    + ")")
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
            .longOpt("wait-for-job")
            .hasArg()
            .argName("NAME")
            .desc(
                "first wait (a watch) until this Job of the pod's namespace is Complete or Failed; the outputs of a "
                    + "Failed one are stored too")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("wait-timeout")
            .hasArg()
            .argName("SECONDS")
            .desc("give up waiting after this long: exit 1 (default: wait as long as the Job runs)")
            .build());
    options.addOption(Option.builder("h").longOpt("help").desc("print this help").build());
    return options;
  }

  static String usage() {
    return Flags.usage(
        "cleanup --job NAME --upload-to URL [options]",
        "After the payload: zips the output directory to <job>-output.zip (or takes its files as they are), "
            + "uploads with verification, uploads <job>-output.manifest.json listing what was stored, then removes "
            + "what the job no longer needs. With --wait-for-job it first waits for the payload's Job to end.\n\n",
        options(),
        "\nExit codes: 0 uploaded and verified (or found stored by an earlier run); 1 the work failed (may be "
            + "retried; nothing is removed before every upload is verified), or the Job waited for was deleted or did "
            + "not finish in time; 2 usage error, other content stored under the outputs' names, a Job to wait for "
            + "that does not exist, or a request the service account may not make.\nGoogle credentials: "
            + "GOOGLE_APPLICATION_CREDENTIALS or the other Application Default Credentials.");
  }
}
