package io.datapass.cli.follow;

import io.datapass.cli.Cluster;
import io.datapass.cli.ClusterOptions;
import io.datapass.cli.DatapassCommand;
import io.datapass.cli.Invocation;
import io.datapass.common.ConfigException;
import io.datapass.common.ExitCode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code datapass watch NAME}: a line per change until the submission ends; exit 0 or 1. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a line for each change of a submission (the Job, each task's states as the sidecar"
          + " reports them) until it ends, then its status; exits 0 when it succeeded and 1 when it"
          + " failed, so a CI pipeline fails with it."
    },
    footerHeading = "%n",
    footer = DatapassCommand.EXIT_CODES)
public final class WatchCommand implements Callable<Integer> {
  private final Invocation invocation;

  @Parameters(index = "0", paramLabel = "NAME", description = "The submission's name.")
  String name;

  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      defaultValue = "2",
      description = "Seconds between looks at the cluster (default: ${DEFAULT-VALUE}).")
  int interval;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description = "Give up (exit 1) after this long; 0: wait for the end however long it takes.")
  long timeout;

  @Mixin ClusterOptions cluster;

  public WatchCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws Exception {
    if (interval < 1 || timeout < 0) {
      throw new ConfigException("--interval must be at least 1 and --timeout at least 0 seconds");
    }
    PrintStream out = invocation.out();
    try (Cluster target = cluster.connect(invocation)) {
      // the clock names the times printed; how long the watch took is measured apart from it
      long started = System.nanoTime();
      SubmissionWatch watch = new SubmissionWatch();
      String lastFailure = null;
      for (boolean first = true; ; first = false) {
        Submission submission;
        try {
          submission = Submission.read(target.client(), target.namespace(), name);
          lastFailure = null;
        } catch (KubernetesClientException e) {
          if (e.getCode() == 401 || e.getCode() == 403 || first) {
            throw e;
          }
          // an API server restarting: said once, and the watch goes on
          if (lastFailure == null) {
            invocation
                .err()
                .println("datapass watch: the API server: " + e.getMessage() + "; trying again");
          }
          lastFailure = e.getMessage();
          Thread.sleep(Duration.ofSeconds(interval).toMillis());
          continue;
        }
        if (first && !submission.exists()) {
          invocation.err().println("datapass watch: " + NotFound.message(name, target.namespace()));
          return ExitCode.WORK_FAILED;
        }
        Instant now = invocation.clock().instant();
        watch.changes(submission, now).forEach(out::println);
        SubmissionWatch.Outcome outcome = watch.outcome(submission);
        if (outcome != null) {
          StatusTable.print(out, submission, now);
          out.println(
              "Submission "
                  + name
                  + (outcome.succeeded() ? " succeeded: " : " failed: ")
                  + outcome.summary());
          return outcome.succeeded() ? ExitCode.OK : ExitCode.WORK_FAILED;
        }
        if (timeout > 0 && Duration.ofNanos(System.nanoTime() - started).toSeconds() >= timeout) {
          StatusTable.print(out, submission, now);
          out.println(
              "Submission " + name + " is still running after " + timeout + " s: watch gives up");
          return ExitCode.WORK_FAILED;
        }
        Thread.sleep(Duration.ofSeconds(interval).toMillis());
      }
    }
  }
}
