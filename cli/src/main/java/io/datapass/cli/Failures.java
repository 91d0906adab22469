package io.datapass.cli;

import io.datapass.common.ConfigException;
import io.datapass.common.ExitCode;
import io.datapass.kube.KubernetesConfigException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How a command ends when it cannot do its work: one line on stderr that names the command and what
 * went wrong, and the agents' exit codes (2 for what no retry changes, 1 otherwise).
 */
final class Failures {
  private Failures() {}

  /** A bad flag or argument: the message, the synopsis and where the help is; exit 2. */
  static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName();
    err.println(name + ": " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.print("Usage: " + command.getHelp().synopsis(0));
    err.println("Try '" + name + " --help' for more information.");
    return ExitCode.USAGE;
  }

  /** What a command threw: a configuration error is exit 2, anything else exit 1. */
  static int executionFailed(Exception e, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName();
    if (e instanceof ConfigException || e instanceof KubernetesConfigException) {
      err.println(name + ": " + e.getMessage());
      return ExitCode.USAGE;
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      err.println(name + ": interrupted");
      return ExitCode.WORK_FAILED;
    }
    if (e instanceof KubernetesClientException k) {
      String where = where(command);
      if (k.getStatus() == null && where != null) {
        err.println(name + ": cannot reach the API server " + where + ": " + cause(k));
      } else {
        err.println(name + ": the API server: " + describe(k));
      }
      return ExitCode.WORK_FAILED;
    }
    err.println(name + ": failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    return ExitCode.WORK_FAILED;
  }

  /** The server the command's --kubeconfig (or service account) named, once it connected. */
  private static String where(CommandLine command) {
    for (CommandSpec mixin : command.getCommandSpec().mixins().values()) {
      if (mixin.userObject() instanceof ClusterOptions options && options.where() != null) {
        return options.where();
      }
    }
    return null;
  }

  /** The first telling cause (refused, timed out, unknown host), else the exception itself. */
  private static String cause(KubernetesClientException e) {
    Throwable cause = e.getCause();
    // the JDK's client wraps the telling exception in bare IOExceptions
    while (cause != null
        && cause.getClass() == java.io.IOException.class
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return String.valueOf(cause == null ? e.getMessage() : cause);
  }

  /**
   * The server's own message, else what failed and the first telling cause (refused, timed out).
   */
  private static String describe(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage() + " (" + e.getCode() + ")";
    }
    Throwable cause = e.getCause();
    // the JDK's client wraps the telling exception in bare IOExceptions, and a closed channel
    // follows
    while (cause != null
        && cause.getClass() == java.io.IOException.class
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = e.getMessage() == null ? "" : e.getMessage();
    return cause == null ? message : message + " (" + cause + ")";
  }
}
