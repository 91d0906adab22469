package io.datapass.cli.submit;

import io.datapass.cli.Cluster;
import io.datapass.cli.ClusterOptions;
import io.datapass.cli.DatapassCommand;
import io.datapass.cli.Invocation;
import io.datapass.cli.TemporaryDirectory;
import io.datapass.cli.helm.ChartValues;
import io.datapass.cli.helm.Charts;
import io.datapass.cli.helm.Releases;
import io.datapass.cli.helm.StagedChart;
import io.datapass.cli.submit.InputList.TaskInput;
import io.datapass.common.ConfigException;
import io.datapass.common.ExitCode;
import io.datapass.transfer.StorageClients;
import io.datapass.transfer.engine.Uploader.UploadResult;
import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.storage.SourceRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code datapass submit}: one release of the batch-job chart per submission. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submits one batch job: a release of the batch-job chart with the experiment's values file,"
          + " one task (an index of the Job) per input, and prints how to follow it."
    },
    footerHeading = "%n",
    footer = DatapassCommand.EXIT_CODES)
public final class SubmitCommand implements Callable<Integer> {
  private static final int PARALLEL = 4;

  private final Invocation invocation;

  @Parameters(
      index = "0",
      paramLabel = "VALUES",
      description = "The experiment's values file (values/ship.yaml).")
  Path values;

  @Option(
      names = "--inputs",
      paramLabel = "FILE|PREFIX",
      description =
          "One task per input: a file of URIs (one a line, # comments), or a gs:// or root://"
              + " prefix ending in '/' whose objects are listed.")
  String inputs;

  @Option(
      names = "--input-dir",
      paramLabel = "DIR",
      description =
          "Zips DIR and uploads it as <name>-input.zip before the submission (verified, never"
              + " replacing other content); every task unpacks it into its inputs.")
  Path inputDir;

  @Option(
      names = "--upload-input-to",
      paramLabel = "PREFIX",
      description =
          "Where --input-dir's zip goes, gs:// or root:// (default: beside the values file's"
              + " *-input.zip input, else its output.uploadTo).")
  String uploadInputTo;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description =
          "The submission's name: a DNS label of at most 52 characters (default: the"
              + " experiment and the time, ship-20261130-142233).")
  String name;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A value over the values file, as helm --set (repeatable); e.g. job.parallelism=N runs"
              + " at most N tasks at once (job.parallelism=0, the chart's default: every task at"
              + " once).")
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--dry-run",
      description = "Prints the manifests Helm renders; uploads and installs nothing.")
  boolean dryRun;

  @Option(
      names = "--charts",
      paramLabel = "DIR",
      description = "The datapass charts (default: $DATAPASS_CHARTS, else the checkout's charts/).")
  Path charts;

  @Option(
      names = "--gcs-endpoint",
      paramLabel = "URL",
      description =
          "A GCS JSON-API endpoint for a non-Google server, to list --inputs and upload"
              + " --input-dir (default: $STORAGE_EMULATOR_HOST).")
  String gcsEndpoint;

  @Mixin ClusterOptions cluster;

  public SubmitCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws Exception {
    if (uploadInputTo != null && inputDir == null) {
      throw new ConfigException(
          "--upload-input-to needs --input-dir (it says where the zip of --input-dir goes)");
    }
    ValuesFile file = ValuesFile.read(values);
    List<Map.Entry<String, String>> pairs = SetFlags.parse(sets);
    String submission =
        SubmissionName.chosenOf(
            SubmissionName.given(name, file, pairs),
            file.experiment(),
            invocation.clock().instant());
    StorageClients.Settings storage =
        new StorageClients.Settings(gcsEndpoint, null, PARALLEL, invocation.env());
    try (SourceRegistry sources = StorageClients.sources(storage);
        SinkRegistry sinks = StorageClients.sinks(storage);
        TemporaryDirectory scratch = TemporaryDirectory.create("datapass-submit-");
        StagedChart chart =
            Charts.locate(charts, invocation.env(Charts.ENV)).stage(Charts.BATCH_JOB)) {
      List<TaskInput> taskInputs =
          inputs == null ? List.of() : InputList.read(inputs, () -> sources);
      URI zipTarget = inputDir == null ? null : InputUpload.target(uploadInputTo, file, submission);
      InputArchive archive =
          inputDir == null
              ? null
              : InputArchive.of(inputDir, scratch.resolve(submission + InputUpload.SUFFIX));
      Path overrides =
          Overrides.write(
              Overrides.of(
                  submission,
                  Overrides.submitter(invocation),
                  taskInputs.stream().map(TaskInput::uri).toList(),
                  file,
                  zipTarget),
              scratch.resolve("datapass-overrides.yaml"));
      ChartValues chartValues = new ChartValues(List.of(values, overrides), pairs);
      if (dryRun) {
        String manifests =
            render(
                chart,
                submission,
                cluster.namespaceOffline(invocation),
                chartValues,
                taskInputs,
                pairs);
        RenderedJob job = RenderedJob.of(manifests);
        job.refuseOversizedConfigMap(taskInputs.size());
        invocation.out().print(manifests.endsWith("\n") ? manifests : manifests + "\n");
        invocation
            .err()
            .println(
                "dry run: "
                    + submission
                    + ", "
                    + job.tasks()
                    + " task(s), "
                    + job.atOnce()
                    + "; nothing uploaded or installed"
                    + (archive == null
                        ? ""
                        : " (the zip of " + inputDir + " would go to " + zipTarget + ")"));
        return ExitCode.OK;
      }
      try (Cluster target = cluster.connect(invocation)) {
        // rendered first: values the chart refuses stop here, before anything is stored
        String manifests =
            render(chart, submission, target.namespace(), chartValues, taskInputs, pairs);
        RenderedJob job = RenderedJob.of(manifests);
        job.refuseOversizedConfigMap(taskInputs.size());
        if (target.releases().find(submission).isPresent()) {
          throw new ConfigException(
              "a submission "
                  + submission
                  + " exists already in namespace "
                  + target.namespace()
                  + ": choose another --name (or datapass cancel "
                  + submission
                  + ")");
        }
        if (archive != null) {
          UploadResult stored = InputUpload.upload(archive, zipTarget, sinks);
          invocation
              .err()
              .println(
                  inputDir
                      + ": "
                      + archive.files()
                      + " file(s) zipped, "
                      + (stored.alreadyStored() ? "already stored at " : "stored at ")
                      + zipTarget
                      + " ("
                      + stored.checksum()
                      + ")");
        }
        target.releases().install(chart, submission, chartValues);
        FollowHint.print(invocation.out(), submission, target.namespace(), job);
        return ExitCode.OK;
      }
    }
  }

  /** The manifests; values the chart refuses are a usage error naming where they came from. */
  private String render(
      StagedChart chart,
      String submission,
      String namespace,
      ChartValues with,
      List<TaskInput> taskInputs,
      List<Map.Entry<String, String>> pairs)
      throws ConfigException {
    try {
      return Releases.template(chart, submission, namespace, with);
    } catch (ConfigException e) {
      throw ChartRefusal.blamed(e, values, taskInputs, pairs);
    }
  }
}
