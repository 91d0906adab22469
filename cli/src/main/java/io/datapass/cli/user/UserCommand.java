package io.datapass.cli.user;

import io.datapass.cli.DatapassCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code datapass user start|stop|status}: one user's long-running pod (charts/user-pod). */
@Command(
    name = "user",
    mixinStandardHelpOptions = true,
    description = {
      "One user's long-running tool (Savu's pod_launcher): a release of the user-pod chart per user"
          + " and tool, its pod running as the user's uid and gid, and a Service in front."
    },
    subcommands = {UserStartCommand.class, UserStopCommand.class, UserStatusCommand.class},
    footerHeading = "%n",
    footer = DatapassCommand.EXIT_CODES)
public final class UserCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(), "name a subcommand: start, stop or status (datapass user --help)");
  }
}
