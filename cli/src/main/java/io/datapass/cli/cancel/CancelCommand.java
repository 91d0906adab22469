package io.datapass.cli.cancel;

import io.datapass.cli.Cluster;
import io.datapass.cli.ClusterOptions;
import io.datapass.cli.DatapassCommand;
import io.datapass.cli.Invocation;
import io.datapass.cli.follow.NotFound;
import io.datapass.cli.helm.Charts;
import io.datapass.common.ConfigException;
import io.datapass.common.ExitCode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code datapass cancel NAME}: the release uninstalled and everything labelled deleted. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Cancels a submission: uninstalls its Helm release, deletes everything labelled"
          + " datapass.io/submission=NAME (Jobs, pods, ConfigMaps, Secrets, claims, accounts, Roles)"
          + " and the Events about them, and waits until nothing is left. Running pods get their"
          + " grace period: the sidecar stores what the payload wrote so far."
    },
    footerHeading = "%n",
    footer = DatapassCommand.EXIT_CODES)
public final class CancelCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofSeconds(1);

  private final Invocation invocation;

  @Parameters(index = "0", paramLabel = "NAME", description = "The submission's name.")
  String name;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "180",
      description =
          "How long to wait until nothing is left (default: ${DEFAULT-VALUE}); then exit 1.")
  long timeout;

  @Mixin ClusterOptions cluster;

  public CancelCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws Exception {
    if (timeout < 1) {
      throw new ConfigException("--timeout must be at least 1 second, got " + timeout);
    }
    PrintStream out = invocation.out();
    try (Cluster target = cluster.connect(invocation)) {
      var release = target.releases().find(name);
      if (release.isPresent()
          && !String.valueOf(release.get().getChart()).startsWith(Charts.BATCH_JOB + "-")) {
        // a user's pod, or anything else installed under this name, is not a submission to end
        throw new ConfigException(
            "the release "
                + name
                + " in namespace "
                + target.namespace()
                + " is no submission (its chart is "
                + release.get().getChart()
                + "): datapass cancel leaves it alone");
      }
      SubmissionObjects objects = new SubmissionObjects(target.client(), target.namespace(), name);
      Set<String> seen = new LinkedHashSet<>(objects.remaining());
      boolean released = target.releases().uninstall(name);
      if (!released && seen.isEmpty()) {
        invocation.err().println("datapass cancel: " + NotFound.message(name, target.namespace()));
        return ExitCode.WORK_FAILED;
      }
      out.println(
          released
              ? "Helm release " + name + " uninstalled."
              : "No Helm release " + name + "; deleting what is labelled.");
      long deadline = System.nanoTime() + Duration.ofSeconds(timeout).toNanos();
      List<String> left = objects.remaining();
      boolean waitSaid = false;
      while (!left.isEmpty()) {
        seen.addAll(left);
        objects.delete();
        if (System.nanoTime() - deadline > 0) {
          out.println("Still there after " + timeout + " s: " + String.join(", ", left));
          return ExitCode.WORK_FAILED;
        }
        if (!waitSaid) {
          out.println("Deleting " + String.join(", ", left) + " ...");
          waitSaid = true;
        }
        Thread.sleep(POLL.toMillis());
        left = objects.remaining();
      }
      // last: the sidecar writes Events until its pod is gone
      int events = objects.deleteEvents(List.copyOf(seen));
      out.println(
          "Nothing of "
              + name
              + " is left in namespace "
              + target.namespace()
              + " ("
              + seen.size()
              + " objects and "
              + events
              + " events deleted).");
      return ExitCode.OK;
    }
  }
}
