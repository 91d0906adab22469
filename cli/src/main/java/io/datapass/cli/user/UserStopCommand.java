package io.datapass.cli.user;

import io.datapass.cli.Cluster;
import io.datapass.cli.ClusterOptions;
import io.datapass.cli.DatapassCommand;
import io.datapass.cli.Invocation;
import io.datapass.cli.helm.Charts;
import io.datapass.common.ConfigException;
import io.datapass.common.ExitCode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code datapass user stop VALUES}: the release uninstalled, its pod and Service gone. */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    description = {
      "Stops a user's pod: uninstalls its release and waits until the pod (given its grace"
          + " period) and its Service are gone; the data on its volumes stay. Nothing to stop is"
          + " not an error (exit 0), as with pod_launcher stop."
    },
    footerHeading = "%n",
    footer = DatapassCommand.EXIT_CODES)
public final class UserStopCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofSeconds(1);

  private final Invocation invocation;

  @Mixin UserOptions user;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "120",
      description =
          "How long to wait until they are gone (default: ${DEFAULT-VALUE}); then exit 1.")
  long timeout;

  @Mixin ClusterOptions cluster;

  public UserStopCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws Exception {
    if (timeout < 1) {
      throw new ConfigException("--timeout must be at least 1 second, got " + timeout);
    }
    UserPod.Identity who = user.identify(invocation);
    PrintStream out = invocation.out();
    try (Cluster target = cluster.connect(invocation)) {
      ReleaseObjects objects = new ReleaseObjects(target.client(), target.namespace(), who.name());
      var release = target.releases().find(who.name());
      if (release.isPresent() && !release.get().getChart().startsWith(Charts.USER_POD + "-")) {
        throw new ConfigException(
            "the release "
                + who.name()
                + " in namespace "
                + target.namespace()
                + " is no user pod (its chart is "
                + release.get().getChart()
                + "): datapass user stop leaves it alone");
      }
      boolean wasThere = !objects.remaining().isEmpty();
      boolean released = target.releases().uninstall(who.name());
      if (!released && !wasThere) {
        out.println(
            "No pod "
                + who.name()
                + " of "
                + who.user()
                + " in namespace "
                + target.namespace()
                + ": nothing to stop.");
        return ExitCode.OK;
      }
      out.println(
          released
              ? "Helm release " + who.name() + " uninstalled."
              : "No Helm release " + who.name() + "; deleting its pod and Service.");
      long deadline = System.nanoTime() + Duration.ofSeconds(timeout).toNanos();
      List<String> left = objects.remaining();
      boolean waitSaid = false;
      while (!left.isEmpty()) {
        objects.delete();
        if (System.nanoTime() - deadline > 0) {
          out.println("Still there after " + timeout + " s: " + String.join(", ", left));
          return ExitCode.WORK_FAILED;
        }
        if (!waitSaid) {
          out.println("Waiting for " + String.join(", ", left) + " to go ...");
          waitSaid = true;
        }
        Thread.sleep(POLL.toMillis());
        left = objects.remaining();
      }
      out.println(
          "Stopped: the pod and Service of "
              + who.user()
              + " are gone from namespace "
              + target.namespace()
              + " (the data on its volumes stay).");
      return ExitCode.OK;
    }
  }
}
