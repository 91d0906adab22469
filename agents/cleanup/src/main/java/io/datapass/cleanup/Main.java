package io.datapass.cleanup;

import io.datapass.common.AgentMain;
import io.datapass.common.ExitCode;
import java.io.PrintStream;
import java.util.Map;

/**
 * The {@code cleanup} role, run after the payload: uploads the outputs verified, then removes what
 * the job no longer needs. Exit codes as every role ({@link ExitCode}); a failure says whether
 * anything was removed. The JSON report goes to stdout, logs to stderr.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    AgentMain.main(Main::run, args);
  }

  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    return AgentMain.guarded(
        "cleanup",
        err,
        () -> {
          CleanupOptions options = CleanupOptions.parse(args, env);
          if (options.help()) {
            out.print(CleanupOptions.usage());
            return ExitCode.OK;
          }
          try {
            out.println(CleanupJob.toJson(new CleanupJob(options, env).run()));
            return ExitCode.OK;
          } catch (Exception e) {
            // Whoever consumes stdout (a script, the chart's hooks) gets a result here too.
            out.println(CleanupJob.failedJson(options, e));
            throw e;
          }
        });
  }
}
