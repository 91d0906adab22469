package io.datapass.downloader;

import io.datapass.common.AgentMain;
import io.datapass.common.ExitCode;
import io.datapass.common.Secrets;
import java.io.PrintStream;
import java.util.Map;

/**
 * The {@code download} role: fetches a job's inputs into the input directory, then writes the ready
 * file. Exit codes as every role ({@link ExitCode}); the JSON summary goes to stdout, logs to
 * stderr.
 */
public final class Main {
  /** The role's name as the agent image's entrypoint takes it, in usage, errors and logs. */
  static final String ROLE = "download";

  private Main() {}

  public static void main(String[] args) {
    AgentMain.main(Main::run, args);
  }

  public static int run(
      String[] args, PrintStream rawOut, PrintStream rawErr, Map<String, String> env) {
    // Masked here too, not only in main: the sidecar runs the downloader on streams of its own.
    PrintStream out = Secrets.masking(rawOut);
    PrintStream err = Secrets.masking(rawErr);
    int code =
        AgentMain.guarded(
            ROLE,
            err,
            () -> {
              // First, before anything can fail: a payload must never start on a previous run's
              // inputs.
              ReadyFile.removeStale(args, env);
              DownloaderOptions options = DownloaderOptions.parse(args, env);
              if (options.help()) {
                out.print(DownloaderOptions.usage());
                return ExitCode.OK;
              }
              DownloadReport report = new DownloadJob(options, env).run();
              out.println(DownloadJob.toJson(report));
              report.files().stream()
                  .filter(f -> !f.succeeded())
                  .forEach(f -> err.println(ROLE + ": " + f.field() + " failed: " + f.error()));
              if (report.succeeded()) {
                return ExitCode.OK;
              }
              return report.rerunCannotHelp() ? ExitCode.USAGE : ExitCode.WORK_FAILED;
            });
    out.flush();
    err.flush();
    return code;
  }
}
