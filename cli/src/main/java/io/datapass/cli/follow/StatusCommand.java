package io.datapass.cli.follow;

import io.datapass.cli.Cluster;
import io.datapass.cli.ClusterOptions;
import io.datapass.cli.DatapassCommand;
import io.datapass.cli.Invocation;
import io.datapass.common.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code datapass status NAME}: the submission's Job and a row per task. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows a submission: its Job, and per task the state the sidecar reported on the pod"
          + " (datapass.io/state), attempts, the last transition, the bytes stored and the pod."
    },
    footerHeading = "%n",
    footer = DatapassCommand.EXIT_CODES)
public final class StatusCommand implements Callable<Integer> {
  private final Invocation invocation;

  @Parameters(index = "0", paramLabel = "NAME", description = "The submission's name.")
  String name;

  @Mixin ClusterOptions cluster;

  public StatusCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws Exception {
    try (Cluster target = cluster.connect(invocation)) {
      Submission submission = Submission.read(target.client(), target.namespace(), name);
      if (!submission.exists()) {
        invocation.err().println("datapass status: " + NotFound.message(name, target.namespace()));
        return ExitCode.WORK_FAILED;
      }
      StatusTable.print(invocation.out(), submission, invocation.clock().instant());
      return ExitCode.OK;
    }
  }
}
