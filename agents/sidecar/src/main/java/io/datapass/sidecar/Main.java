package io.datapass.sidecar;

import io.datapass.common.AgentMain;
import io.datapass.common.ExitCode;
import java.io.PrintStream;
import java.util.Map;

/**
 * The {@code sidecar} role: a native sidecar that implements the /workdir protocol with the
 * payload's wrapper, reports the pod's state, serves probes and metrics, and stores the outputs
 * when the payload ends. Exit codes as every role ({@link ExitCode}); the JSON summary goes to
 * stdout, logs to stderr.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    AgentMain.main(Main::run, args);
  }

  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    return AgentMain.guarded(
        "sidecar",
        err,
        () -> {
          SidecarOptions options = SidecarOptions.parse(args, env);
          if (options.help()) {
            out.print(SidecarOptions.usage());
            return ExitCode.OK;
          }
          if (options.printWrapper()) {
            out.print(Wrapper.script());
            return ExitCode.OK;
          }
          Wakeup wakeup = new Wakeup();
          // First: a payload that ends (or a pod that is deleted) from now on is heard.
          try (SigtermHandler sigterm = SigtermHandler.install(options.grace(), wakeup)) {
            SidecarReport report;
            try {
              report = new SidecarJob(options, env, err, wakeup, sigterm).run();
            } catch (Exception e) {
              // A result on stdout whatever happened: whoever reads it needs no stderr parsing.
              out.println(SidecarReport.failedJson(options, e));
              throw e;
            }
            out.println(report.toJson());
            int code = report.exitCode();
            sigterm.finished(code);
            return code;
          }
        });
  }
}
