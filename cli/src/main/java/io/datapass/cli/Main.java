package io.datapass.cli;

import io.datapass.common.AgentMain;
import java.io.PrintStream;
import java.util.Map;

/** {@code datapass}: submit batch jobs to Kubernetes, follow and cancel them; start users' pods. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    AgentMain.main(Main::run, args);
  }

  /** Runs the command; returns 0 (done), 1 (the work failed) or 2 (usage error). */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(args, new Invocation(out, err, env));
  }

  public static int run(String[] args, Invocation invocation) {
    return DatapassCommand.commandLine(invocation).execute(args);
  }
}
