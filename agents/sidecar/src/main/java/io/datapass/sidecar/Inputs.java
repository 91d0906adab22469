package io.datapass.sidecar;

import io.datapass.common.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payload's inputs, k-pipe style or kube-data-downloader style. With a manifest the sidecar
 * runs the {@code download} role itself (the same code as the downloader image, in a thread of its
 * own so that a SIGTERM is still heard), which writes {@code ready} last; without one, a download
 * init container writes it.
 */
final class Inputs {
  private static final Logger log = LoggerFactory.getLogger(Inputs.class);

  /** How the download ended: the role's exit code and its JSON summary. */
  record Download(int exitCode, String summary) {
    boolean succeeded() {
      return exitCode == ExitCode.OK;
    }
  }

  /** Who provides the inputs. */
  private enum Source {
    INIT_CONTAINER,
    SIDECAR,
    ALREADY_IN_USE
  }

  private final Workdir workdir;
  private final Source source;
  private final String description;
  private volatile Download download;

  private Inputs(Workdir workdir, Source source, String description) {
    this.workdir = workdir;
    this.source = source;
    this.description = description;
  }

  /** Waits for a {@code ready} someone else writes. */
  static Inputs writtenByOthers(Workdir workdir) {
    return new Inputs(workdir, Source.INIT_CONTAINER, "waiting for " + workdir.ready());
  }

  /**
   * A sidecar restarted after the payload started: the inputs are in use, and are left as they are.
   */
  static Inputs inUse(Workdir workdir) {
    return new Inputs(
        workdir,
        Source.ALREADY_IN_USE,
        "restarted after the payload started; its inputs are left as they are");
  }

  /** Starts the download into {@code input/}; {@code wakeup} is signalled when it ends. */
  static Inputs download(
      SidecarOptions options,
      Workdir workdir,
      Map<String, String> env,
      PrintStream err,
      Wakeup wakeup)
      throws IOException {
    // Before the probe can see it: a previous run's ready must not let the payload start on partial
    // inputs.
    Files.deleteIfExists(workdir.ready());
    Inputs inputs =
        new Inputs(workdir, Source.SIDECAR, "downloading the inputs of " + options.manifest());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--manifest",
                options.manifest().toString(),
                "--dest",
                workdir.input().toString(),
                "--ready-file",
                workdir.ready().toString()));
    if (options.gcsEndpoint() != null) {
      args.addAll(List.of("--gcs-endpoint", options.gcsEndpoint()));
    }
    Thread thread =
        new Thread(
            () -> {
              ByteArrayOutputStream summary = new ByteArrayOutputStream();
              int code = ExitCode.WORK_FAILED;
              try (PrintStream out = new PrintStream(summary, true, StandardCharsets.UTF_8)) {
                code = io.datapass.downloader.Main.run(args.toArray(String[]::new), out, err, env);
              } finally {
                inputs.download =
                    new Download(code, summary.toString(StandardCharsets.UTF_8).strip());
                wakeup.signal();
              }
            },
            "inputs");
    thread.setDaemon(true);
    log.info("downloading the inputs of {} into {}", options.manifest(), workdir.input());
    thread.start();
    return inputs;
  }

  /**
   * True once {@code ready} exists; for the sidecar's own download, once it succeeded (it wrote
   * ready last).
   */
  boolean ready() {
    return switch (source) {
      case SIDECAR -> {
        Download finished = download;
        yield finished != null && finished.succeeded();
      }
      case INIT_CONTAINER -> Files.exists(workdir.ready());
      case ALREADY_IN_USE -> true;
    };
  }

  /** The sidecar's own download when it ended, else null. */
  Download download() {
    return download;
  }

  /** True when the sidecar's own download failed: the payload must not start. */
  boolean failed() {
    Download finished = download;
    return finished != null && !finished.succeeded();
  }

  /** What the sidecar is waiting for, for the INITIALIZING transition. */
  String describe() {
    return description;
  }
}
