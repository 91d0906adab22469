package io.datapass.common;

import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.util.concurrent.Callable;

/**
 * The edge every role's {@code main} goes through: masked standard streams, exceptions turned into
 * exit codes.
 */
public final class AgentMain {
  private AgentMain() {}

  /** Runs {@code command} on the process's streams and environment and exits with its code. */
  public static void main(AgentCommand command, String[] args) {
    Secrets.maskStandardStreams();
    System.exit(command.run(args, System.out, System.err, System.getenv()));
  }

  /**
   * Runs a role's body and maps what it throws: a {@link ConfigException} to {@link
   * ExitCode#USAGE}, anything else to {@link ExitCode#WORK_FAILED}, each reported on {@code err} as
   * one line prefixed with the role's name.
   */
  public static int guarded(String role, PrintStream err, Callable<Integer> body) {
    try {
      return body.call();
    } catch (ConfigException e) {
      err.println(role + ": " + oneLine(e));
      return ExitCode.USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println(role + ": interrupted");
      return ExitCode.WORK_FAILED;
    } catch (FileSystemException e) {
      // The JDK's text is the bare path: say what happened to it.
      err.println(role + ": failed: " + FileErrors.reason(e, null));
      return ExitCode.WORK_FAILED;
    } catch (Exception e) {
      err.println(role + ": failed: " + oneLine(e));
      return ExitCode.WORK_FAILED;
    }
  }

  /**
   * A failure's message on one line (a server's multi-line answer folded), so each event is one log
   * line.
   */
  public static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * The version the build stamped into the role's jar, for start-up log lines and {@code version}.
   */
  public static String version(Class<?> roleClass) {
    String version = roleClass.getPackage().getImplementationVersion();
    return version == null ? "(development build)" : version;
  }
}
