package io.datapass.cleanup;

import io.datapass.transfer.Secrets;
import java.io.PrintStream;
import java.util.Map;

/**
 * The cleanup agent, run after the payload. Exit codes: 0 outputs uploaded and verified (then removed if asked);
 * 1 the work failed (may be retried; the message says whether anything was removed); 2 usage error (not retried).
 * Logs go to stderr; the JSON report goes to stdout.
 */
public final class Main {
  static final int OK = 0;
  static final int WORK_FAILED = 1;
  static final int USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    Secrets.maskStandardStreams();
    System.exit(run(args, System.out, System.err, System.getenv()));
  }

  /** The role entry point of the agent image (agents/image) too. */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    try {
      CleanupOptions options = CleanupOptions.parse(args, env);
      if (options.help()) {
        out.print(CleanupOptions.usage());
        return OK;
      }
      out.println(CleanupJob.toJson(new CleanupJob(options, env).run()));
      return OK;
    } catch (ConfigException e) {
      err.println("cleanup: " + e.getMessage());
      return USAGE;
    } catch (Exception e) {
      err.println("cleanup: failed: " + e.getMessage());
      return WORK_FAILED;
    }
  }
}
