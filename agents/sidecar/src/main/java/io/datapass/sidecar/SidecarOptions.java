package io.datapass.sidecar;

import io.datapass.common.ConfigException;
import io.datapass.common.Flags;
import io.datapass.transfer.storage.UploadPrefix;
import io.datapass.transfer.storage.gcs.GcsClients;
import io.datapass.transfer.storage.http.HttpOrigins;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The sidecar's settings, from flags and the pod's environment (flags win). Secrets only as paths
 * to files.
 *
 * @param manifest null: a download init container writes {@code ready}
 * @param uploadTo null: outputs are not uploaded (state reporting only)
 * @param healthyDeadline null: the payload's liveness is not checked
 * @param backendUrl null: no backend reporting
 * @param exitOnDone exit after the final state instead of waiting for SIGTERM as a native sidecar
 *     must
 * @param payloadContainer the payload's container in the pod, whose status {@code --report-to-pod}
 *     reads; null: the pod's only regular container
 * @param uploadDuringRun upload each output once it has been quiet for {@code settle}, while the
 *     payload runs
 * @param stateDir null: the upload ledger is kept in memory only
 * @param indexedTask the pod is a task of an Indexed Job ({@code JOB_COMPLETION_INDEX} is set): its
 *     outputs go under {@code <job>/<task>/}
 */
record SidecarOptions(
    boolean help,
    boolean printWrapper,
    Path workdir,
    Path manifest,
    URI uploadTo,
    int port,
    Duration healthyDeadline,
    Duration grace,
    URI backendUrl,
    Path backendTokenFile,
    String job,
    String task,
    String pod,
    String gcsEndpoint,
    int parallel,
    int retries,
    boolean exitOnDone,
    Path cgroupRoot,
    boolean reportToPod,
    String payloadContainer,
    boolean uploadDuringRun,
    Duration settle,
    Path stateDir,
    boolean indexedTask) {

  static final int DEFAULT_PORT = 8686;

  /** A Kubernetes name, which is also one safe path segment (no '/', never "." or ".."). */
  private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

  /**
   * Where the outputs go: {@code <uploadTo><job>/}, apart from what the cleanup role stores under
   * the same prefix ({@code <job>-output.zip} and its manifest); null without uploads.
   */
  URI outputPrefix() {
    if (uploadTo == null) {
      return null;
    }
    // the pods of an Indexed Job share the job's name: each task's outputs get their own directory
    return UploadPrefix.under(uploadTo, job + "/" + (indexedTask ? task + "/" : ""));
  }

  String describe() {
    return "workdir "
        + workdir
        + (manifest == null ? ", inputs from a download init container" : ", manifest " + manifest)
        + (uploadTo == null ? ", no uploads" : ", upload to " + UploadPrefix.withoutQuery(uploadTo))
        + ", port "
        + port
        + (healthyDeadline == null
            ? ""
            : ", healthy deadline " + healthyDeadline.toSeconds() + " s")
        + ", grace "
        + grace.toSeconds()
        + " s"
        + (backendUrl == null ? "" : ", backend " + backendUrl)
        + (backendTokenFile == null ? "" : " (token from " + backendTokenFile + ")")
        + (reportToPod ? ", reporting to the pod" : "")
        + (payloadContainer == null ? "" : ", payload container " + payloadContainer)
        + ", job "
        + job
        + ", task "
        + task
        + ", pod "
        + pod
        + (gcsEndpoint == null ? "" : ", gcs endpoint " + gcsEndpoint)
        + (uploadTo != null && uploadDuringRun
            ? ", uploads during the run after " + settle.toSeconds() + " s quiet"
            : "")
        + (uploadTo == null
            ? ""
            : stateDir == null ? ", upload ledger in memory" : ", upload ledger in " + stateDir)
        + (exitOnDone ? ", exit on done" : "");
  }

  static SidecarOptions parse(String[] args, Map<String, String> env) throws ConfigException {
    CommandLine line = Flags.parse(options(), args, usage());
    if (line.hasOption("help") || line.hasOption("print-wrapper")) {
      return new SidecarOptions(
          line.hasOption("help"),
          line.hasOption("print-wrapper"),
          null,
          null,
          null,
          0,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          0,
          0,
          false,
          null,
          false,
          null,
          false,
          null,
          null,
          false);
    }
    Path manifest = Flags.path(line.getOptionValue("manifest"));
    // A missing manifest is the download's to report: it removes a stale ready file first.
    Path tokenFile = Flags.path(line.getOptionValue("backend-token-file"));
    if (tokenFile != null && !Files.isReadable(tokenFile)) {
      throw new ConfigException("--backend-token-file " + tokenFile + " cannot be read");
    }
    URI backendUrl = backendUrl(line.getOptionValue("backend-url"));
    if (tokenFile != null && backendUrl != null && !HttpOrigins.safeToSend(backendUrl)) {
      throw new ConfigException(
          "--backend-url "
              + backendUrl
              + " is plain http: the --backend-token-file token is sent over https:// only (or to"
              + " a loopback address)");
    }
    Integer deadline = Flags.integer(line, "healthy-deadline", null, null, 1, 86_400);
    URI uploadTo =
        uploadTo(
            line.getOptionValue("upload-to", env.get("DATAPASS_UPLOAD_TO")),
            line.hasOption("upload-to") ? "--upload-to" : "DATAPASS_UPLOAD_TO");
    Path workdir = Path.of(line.getOptionValue("workdir", "/workdir")).toAbsolutePath().normalize();
    return new SidecarOptions(
        false,
        false,
        workdir,
        manifest,
        uploadTo,
        Flags.integer(line, "port", DEFAULT_PORT, 0, 65_535),
        deadline == null ? null : Duration.ofSeconds(deadline),
        Duration.ofSeconds(Flags.integer(line, "grace-seconds", 25, 1, 3600)),
        backendUrl,
        tokenFile,
        job(
            line.getOptionValue("job", env.getOrDefault("DATAPASS_JOB", "")),
            line.hasOption("job") ? "--job" : "DATAPASS_JOB",
            uploadTo != null),
        task(line, env),
        line.getOptionValue("pod", env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", ""))),
        gcsEndpoint(line, env),
        Flags.integer(line, "parallel", 4, 1, 64),
        Flags.integer(line, "retries", 5, 0, 100),
        line.hasOption("exit-on-done"),
        Path.of(line.getOptionValue("cgroup-root", "/sys/fs/cgroup")),
        line.hasOption("report-to-pod"),
        payloadContainer(line, env),
        line.hasOption("upload-during-run"),
        Duration.ofSeconds(Flags.integer(line, "settle-seconds", 10, 1, 3600)),
        stateDir(Flags.path(line.getOptionValue("state-dir")), workdir),
        env.containsKey("JOB_COMPLETION_INDEX"));
  }

  /** The task names a directory of its own in an Indexed Job: one safe path segment. */
  private static String task(CommandLine line, Map<String, String> env) throws ConfigException {
    String task = line.getOptionValue("task", env.getOrDefault("JOB_COMPLETION_INDEX", "0"));
    if (!JOB_NAME.matcher(task).matches()) {
      throw new ConfigException(
          (line.hasOption("task") ? "--task" : "JOB_COMPLETION_INDEX")
              + " must be letters, digits, '.', '_' or '-', starting with a letter or digit, got '"
              + task
              + "'");
    }
    return task;
  }

  private static String payloadContainer(CommandLine line, Map<String, String> env)
      throws ConfigException {
    if (line.hasOption("payload-container") && !line.hasOption("report-to-pod")) {
      throw new ConfigException("--payload-container is read only with --report-to-pod");
    }
    String name =
        line.getOptionValue(
            "payload-container", env.getOrDefault("DATAPASS_PAYLOAD_CONTAINER", ""));
    return name.isBlank() ? null : name.strip();
  }

  /**
   * The ledger's directory, refused inside the workdir: the payload writes there, and could forge a
   * record of an upload that never happened (a gap) or of an object that is not ours.
   */
  private static Path stateDir(Path dir, Path workdir) throws ConfigException {
    if (dir == null) {
      return null;
    }
    Path absolute = dir.toAbsolutePath().normalize();
    if (realPath(absolute).startsWith(realPath(workdir))) {
      throw new ConfigException(
          "--state-dir "
              + dir
              + " is inside the workdir "
              + workdir
              + ": the payload writes there and could forge the upload ledger; give it a volume"
              + " only the sidecar mounts (an emptyDir not shared with the payload)");
    }
    return absolute;
  }

  /** The path with the links of its longest existing part resolved. */
  private static Path realPath(Path path) {
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      return existing == null ? path : existing.toRealPath().resolve(existing.relativize(path));
    } catch (IOException e) {
      return path;
    }
  }

  private static URI uploadTo(String value, String name) throws ConfigException {
    return UploadPrefix.parse(value, name);
  }

  private static String job(String value, String name, boolean uploading) throws ConfigException {
    if (value.isBlank()) {
      if (uploading) {
        throw new ConfigException(
            "--job (or DATAPASS_JOB) is required with --upload-to: the outputs go under"
                + " <prefix><job>/");
      }
      return value;
    }
    if (!JOB_NAME.matcher(value).matches()) {
      throw new ConfigException(
          name
              + " must be letters, digits, '.', '_' or '-', starting with a letter or digit, got '"
              + value
              + "'");
    }
    return value;
  }

  private static URI backendUrl(String value) throws ConfigException {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(value.strip());
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new ConfigException("--backend-url must be an http(s) URL, got '" + value + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException("--backend-url is not a valid URL: " + e.getMessage());
    }
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
            .longOpt("workdir")
            .hasArg()
            .argName("DIR")
            .desc("the volume shared with the payload (default /workdir)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("manifest")
            .hasArg()
            .argName("FILE")
            .desc(
                "download the inputs of this manifest into <workdir>/input, then write <workdir>/ready; without it "
                    + "a download init container writes ready")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("upload-to")
            .hasArg()
            .argName("URL")
            .desc(
                "prefix ending in '/' the files under <workdir>/output are uploaded to at the end, as <prefix><job>/<path>: gs://bucket/dir/, "
                    + "root://host//dir/ or a directory of a mounted filesystem (default $DATAPASS_UPLOAD_TO; none: no "
                    + "uploads)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("upload-during-run")
            .desc(
                "also upload each output while the payload runs, once it has been quiet (size and"
                    + " modification time unchanged) for --settle-seconds; changed ones are"
                    + " uploaded again")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("settle-seconds")
            .hasArg()
            .argName("N")
            .desc("how long an output must be quiet to be uploaded during the run (default 10)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("state-dir")
            .hasArg()
            .argName("DIR")
            .desc(
                "keep the upload ledger here, so that a restarted sidecar resumes without sending"
                    + " twice: a volume only the sidecar mounts, never inside the workdir (default:"
                    + " in memory)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("port")
            .hasArg()
            .argName("N")
            .desc("port of /startup, /healthz and /metrics (default " + DEFAULT_PORT + ")")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("healthy-deadline")
            .hasArg()
            .argName("SECONDS")
            .desc(
                "the payload must refresh <workdir>/healthy within this time, else /healthz fails and the state "
                    + "is UNHEALTHY (default: not checked)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("grace-seconds")
            .hasArg()
            .argName("N")
            .desc(
                "after SIGTERM, time for the final upload and report (default 25; keep it below the pod's "
                    + "terminationGracePeriodSeconds)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("backend-url")
            .hasArg()
            .argName("URL")
            .desc("POST each state transition as JSON to this URL")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("backend-token-file")
            .hasArg()
            .argName("FILE")
            .desc("bearer token for the backend, read for each request")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("job")
            .hasArg()
            .argName("NAME")
            .desc(
                "the job's name in reports; the outputs go under <upload-to><job>/ (default"
                    + " $DATAPASS_JOB)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("task")
            .hasArg()
            .argName("ID")
            .desc(
                "the task in reports (default $JOB_COMPLETION_INDEX, else 0); in an Indexed Job"
                    + " ($JOB_COMPLETION_INDEX set) the outputs go under <upload-to><job>/<task>/")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("report-to-pod")
            .desc(
                "also report each state to the pod's own annotations and as an Event, and read how"
                    + " the payload's container ended from the pod (needs $POD_NAME and a service"
                    + " account allowed get/patch/watch pods, create events)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("payload-container")
            .hasArg()
            .argName("NAME")
            .desc(
                "with --report-to-pod: the payload's container, whose terminated state (OOMKilled,"
                    + " exit code) the sidecar reads from its pod (default"
                    + " $DATAPASS_PAYLOAD_CONTAINER, else the pod's only regular container)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("pod")
            .hasArg()
            .argName("NAME")
            .desc("the pod in reports (default $POD_NAME, else $HOSTNAME)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("gcs-endpoint")
            .hasArg()
            .argName("URL")
            .desc("GCS JSON-API endpoint for non-Google servers (default $STORAGE_EMULATOR_HOST)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("parallel")
            .hasArg()
            .argName("N")
            .desc("files uploaded at once (default 4)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("retries")
            .hasArg()
            .argName("N")
            .desc("retries per upload on transient failures (default 5)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("exit-on-done")
            .desc(
                "exit once the final state is reported; without it the sidecar waits for its SIGTERM, as a native "
                    + "sidecar must (one that exits early is restarted)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("cgroup-root")
            .hasArg()
            .argName("DIR")
            .desc("where the container's cgroup files are (default /sys/fs/cgroup)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("print-wrapper")
            .desc("print the payload wrapper script (for a ConfigMap) and exit")
            .get());
    options.addOption(Option.builder("h").longOpt("help").desc("print this help").get());
    return options;
  }

  static String usage() {
    return Flags.usage(
        "sidecar [--manifest FILE] [--upload-to URL] [options]",
        "Native sidecar of a batch pod: implements the /workdir protocol with the payload's wrapper, reports the "
            + "pod's state, serves probes and metrics, and uploads the outputs, verified, when the payload ends.\n\n",
        options(),
        "\nExit codes: 0 the final state is reported and every output stored (the payload's own failure is in the "
            + "state); 1 the inputs, an upload or the final report failed (may be retried); 2 usage error.\n"
            + "Google credentials: GOOGLE_APPLICATION_CREDENTIALS or the other Application Default Credentials.");
  }
}
