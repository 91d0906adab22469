package io.datapass.downloader;

import io.datapass.transfer.Secrets;
import java.io.PrintStream;
import java.util.Map;

/**
 * The downloader init container. Exit codes: 0 all inputs ready, 1 the work failed (may be retried), 2 usage or
 * manifest error (not retried). Logs go to stderr; the JSON summary goes to stdout; secrets in input URLs go to
 * neither.
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
      DownloaderOptions options = DownloaderOptions.parse(args, env);
      if (options.help()) {
        out.print(DownloaderOptions.usage());
        return OK;
      }
      DownloadReport report = new DownloadJob(options, env).run();
      out.println(DownloadJob.toJson(report));
      report.files().stream().filter(f -> !f.succeeded())
          .forEach(f -> err.println("downloader: " + f.field() + " failed: " + f.error()));
      return report.succeeded() ? OK : WORK_FAILED;
    } catch (ConfigException e) {
      err.println("downloader: " + e.getMessage());
      return USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("downloader: interrupted");
      return WORK_FAILED;
    } catch (Exception e) {
      err.println("downloader: " + e);
      return WORK_FAILED;
    }
  }
}
