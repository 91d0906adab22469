package io.datapass.cli;

import io.datapass.cli.cancel.CancelCommand;
import io.datapass.cli.follow.ListCommand;
import io.datapass.cli.follow.LogsCommand;
import io.datapass.cli.follow.StatusCommand;
import io.datapass.cli.follow.WatchCommand;
import io.datapass.cli.submit.SubmitCommand;
import io.datapass.cli.user.UserCommand;
import io.datapass.common.AgentMain;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The root command: names the subcommands and sets up how every one of them ends. */
@Command(
    name = "datapass",
    mixinStandardHelpOptions = true,
    versionProvider = DatapassCommand.Version.class,
    description = {
      "Submits batch jobs to Kubernetes as one Helm release of the batch-job chart each, follows"
          + " them and cancels them; starts and stops users' long-running pods (the user-pod"
          + " chart). Any kubeconfig works; no helm binary is needed."
    },
    subcommands = {
      SubmitCommand.class,
      StatusCommand.class,
      WatchCommand.class,
      LogsCommand.class,
      CancelCommand.class,
      ListCommand.class,
      UserCommand.class
    },
    footerHeading = "%n",
    footer = DatapassCommand.EXIT_CODES)
public final class DatapassCommand implements Callable<Integer> {
  /** Every command's help ends with this. */
  public static final String EXIT_CODES =
      "Exit codes: 0 done (watch: the submission succeeded); 1 the work failed (watch: the"
          + " submission failed; a cluster or storage error); 2 usage error (a flag, a file or"
          + " a values file is wrong).";

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "name a subcommand: submit, status, watch, logs, cancel, list or user (datapass --help)");
  }

  /** The command line for one invocation: its streams, its environment, its exit codes. */
  static CommandLine commandLine(Invocation invocation) {
    CommandLine line = new CommandLine(new DatapassCommand(), new WithInvocation(invocation));
    line.setOut(new PrintWriter(invocation.out(), true));
    line.setErr(new PrintWriter(invocation.err(), true));
    line.setParameterExceptionHandler(Failures::usageError);
    line.setExecutionExceptionHandler(Failures::executionFailed);
    withVersion(line);
    return line;
  }

  /** Every subcommand offers -V (the standard help options): each prints the command's version. */
  private static void withVersion(CommandLine line) {
    line.getCommandSpec().versionProvider(new Version());
    line.getSubcommands().values().forEach(DatapassCommand::withVersion);
  }

  /** Builds each command with the invocation when it takes one. */
  private record WithInvocation(Invocation invocation) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      try {
        return type.getConstructor(Invocation.class).newInstance(invocation);
      } catch (NoSuchMethodException none) {
        return CommandLine.defaultFactory().create(type);
      }
    }
  }

  /** The version the build stamped into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"datapass " + AgentMain.version(Main.class)};
    }
  }
}
