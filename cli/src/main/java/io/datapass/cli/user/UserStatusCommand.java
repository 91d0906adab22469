package io.datapass.cli.user;

import io.datapass.cli.Cluster;
import io.datapass.cli.ClusterOptions;
import io.datapass.cli.DatapassCommand;
import io.datapass.cli.Invocation;
import io.datapass.cli.follow.StatusTable;
import io.datapass.common.ExitCode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code datapass user status VALUES}: the user's pod, whom it runs as, and its Service. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows a user's pod: its phase and readiness, the uid and gid it runs as, when it started,"
          + " and its Service's address. Exit 0 while the pod runs, 1 when there is none or it"
          + " ended."
    },
    footerHeading = "%n",
    footer = DatapassCommand.EXIT_CODES)
public final class UserStatusCommand implements Callable<Integer> {
  private final Invocation invocation;

  @Mixin UserOptions user;

  @Mixin ClusterOptions cluster;

  public UserStatusCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws Exception {
    UserPod.Identity who = user.identify(invocation);
    try (Cluster target = cluster.connect(invocation)) {
      UserPod found = UserPod.read(target.client(), target.namespace(), who.name());
      if (found.pod() == null) {
        invocation
            .err()
            .println(
                "datapass user status: no pod "
                    + who.name()
                    + " of "
                    + who.user()
                    + " in namespace "
                    + target.namespace()
                    + " (start it: "
                    + who.command("start", target.namespace())
                    + ")");
        return ExitCode.WORK_FAILED;
      }
      print(invocation.out(), who, target.namespace(), found, invocation.clock().instant());
      return found.running() ? ExitCode.OK : ExitCode.WORK_FAILED;
    }
  }

  static void print(
      PrintStream out, UserPod.Identity who, String namespace, UserPod found, Instant now) {
    out.println(
        "User pod "
            + who.name()
            + " of "
            + who.user()
            + " in namespace "
            + namespace
            + ": "
            + found.state());
    out.println("  runs as    " + found.owner());
    String created = found.pod().getMetadata().getCreationTimestamp();
    out.println(
        "  created    " + StatusTable.when(created == null ? null : Instant.parse(created), now));
    out.println("  reached at " + ServiceAddress.describe(found.service()));
  }
}
