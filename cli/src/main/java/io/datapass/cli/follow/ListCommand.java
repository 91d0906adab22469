package io.datapass.cli.follow;

import com.marcnuri.helm.Release;
import io.datapass.cli.Cluster;
import io.datapass.cli.ClusterOptions;
import io.datapass.cli.DatapassCommand;
import io.datapass.cli.Invocation;
import io.datapass.cli.helm.Charts;
import io.datapass.common.ExitCode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code datapass list}: the submissions in the namespace. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the submissions in the namespace: each batch-job release and each Job labelled"
          + " datapass.io/submission, with its state and tasks."
    },
    footerHeading = "%n",
    footer = DatapassCommand.EXIT_CODES)
public final class ListCommand implements Callable<Integer> {
  private final Invocation invocation;

  @Mixin ClusterOptions cluster;

  public ListCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  /** What is known of one submission: its release, its Job, or both. */
  private static final class Entry {
    Release release;
    Job job;
  }

  @Override
  public Integer call() throws Exception {
    try (Cluster target = cluster.connect(invocation)) {
      Map<String, Entry> submissions = new TreeMap<>();
      for (Release release : target.releases().list()) {
        if (release.getChart() != null && release.getChart().startsWith(Charts.BATCH_JOB + "-")) {
          submissions.computeIfAbsent(release.getName(), n -> new Entry()).release = release;
        }
      }
      for (Job job :
          target
              .client()
              .batch()
              .v1()
              .jobs()
              .inNamespace(target.namespace())
              .withLabel(Submission.LABEL)
              .withLabel(Submission.COMPONENT, "job")
              .list()
              .getItems()) {
        String name = job.getMetadata().getLabels().get(Submission.LABEL);
        submissions.computeIfAbsent(name, n -> new Entry()).job = job;
      }
      if (submissions.isEmpty()) {
        invocation.out().println("No submissions in namespace " + target.namespace() + ".");
        return ExitCode.OK;
      }
      Table table = new Table("NAME", "STATE", "SUCCEEDED", "EXPERIMENT", "SUBMITTED", "RELEASE");
      submissions.forEach((name, entry) -> table.row(row(name, entry)));
      table.print(invocation.out());
      return ExitCode.OK;
    }
  }

  private static String[] row(String name, Entry entry) {
    Job job = entry.job;
    String state = job == null ? "no Job" : JobPhase.describe(job);
    String succeeded = "-";
    String experiment = "";
    if (job != null) {
      int tasks = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
      Integer done = job.getStatus() == null ? null : job.getStatus().getSucceeded();
      succeeded = (done == null ? 0 : done) + "/" + tasks;
      experiment = job.getMetadata().getLabels().getOrDefault("datapass.io/experiment", "");
    }
    String submitted = "-";
    if (entry.release != null && entry.release.getLastDeployed() != null) {
      submitted =
          entry.release.getLastDeployed().toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    } else if (job != null && job.getMetadata().getCreationTimestamp() != null) {
      submitted = Instant.parse(job.getMetadata().getCreationTimestamp()).toString();
    }
    String release = entry.release == null ? "-" : entry.release.getStatus();
    return new String[] {name, state, succeeded, experiment, submitted, release};
  }
}
