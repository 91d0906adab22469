package io.datapass.sidecar;

import io.datapass.common.AgentMain;
import io.datapass.common.ConfigException;
import io.datapass.common.ExitCode;
import io.datapass.common.Secrets;
import io.datapass.transfer.engine.RetryPolicy;
import io.datapass.transfer.storage.UploadPrefix;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the sidecar: wires the workdir watch, the reporters, the probes and the uploads,
 * follows the payload to its end, stores the outputs and reports the final state. DONE is reported
 * only once every output is stored and verified; ERROR when an upload failed, with the reason.
 */
final class SidecarJob {
  private static final Logger log = LoggerFactory.getLogger(SidecarJob.class);
  private static final int BACKEND_QUEUE = 1000;
  private static final RetryPolicy BACKEND_BACKOFF =
      new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(500), Duration.ofSeconds(8));

  private final SidecarOptions options;
  private final Map<String, String> env;
  private final PrintStream err;
  private final Wakeup wakeup;
  private final SigtermHandler sigterm;
  private final Clock clock = Clock.systemUTC();

  SidecarJob(
      SidecarOptions options,
      Map<String, String> env,
      PrintStream err,
      Wakeup wakeup,
      SigtermHandler sigterm) {
    this.options = options;
    this.env = env;
    this.err = err;
    this.wakeup = wakeup;
    this.sigterm = sigterm;
  }

  @SuppressWarnings(
      "try") // the watcher and the probe server work for the whole try block, unreferenced
  SidecarReport run() throws IOException, InterruptedException, ConfigException {
    long startedAt = System.nanoTime();
    for (URI secretsMayBeIn : new URI[] {options.uploadTo(), options.backendUrl()}) {
      if (secretsMayBeIn != null) {
        Secrets.hideIn(secretsMayBeIn);
      }
    }
    log.info("sidecar {} starting: {}", AgentMain.version(SidecarJob.class), options.describe());
    Workdir workdir = new Workdir(options.workdir());
    Files.createDirectories(workdir.root());
    List<StateReporter> reporters = new ArrayList<>(List.of(new LogReporter()));
    PayloadStatus payloadStatus = null;
    UploadProgress progress = new UploadProgress();
    if (options.reportToPod()) {
      // fabric8's own retries stay short: the reporter retries until its flush deadline
      PodStateWriter pod =
          PodStateWriter.inPod(env, 1)
              .withProgress(options.uploadTo() == null ? () -> null : progress::json);
      reporters.add(new KubernetesReporter(pod, BACKEND_QUEUE, BACKEND_BACKOFF));
      payloadStatus = PayloadStatus.inPod(env, options.payloadContainer(), options.grace());
    }
    if (options.backendUrl() != null) {
      reporters.add(
          new BackendReporter(
              options.backendUrl(), options.backendTokenFile(), BACKEND_QUEUE, BACKEND_BACKOFF));
    }
    StateMachine states =
        new StateMachine(options.job(), options.task(), options.pod(), reporters, clock);
    Liveness liveness = new Liveness(options.healthyDeadline());
    SidecarMetrics metrics =
        new SidecarMetrics(
            states::current,
            () -> !liveness.isOverdue(clock.instant()),
            new CgroupStats(options.cgroupRoot()));
    sigterm.onGraceRunOut(deadline -> reportLostRun(states, deadline));
    try (WorkdirWatcher watcher = WorkdirWatcher.start(workdir.root(), wakeup)) {
      Inputs inputs = inputs(workdir);
      try (ProbeServer probes =
              ProbeServer.start(options.port(), inputs::ready, () -> overdue(liveness), metrics);
          SidecarOutputs outputs = SidecarOutputs.open(options, workdir, env, metrics, progress)) {
        Lifecycle.PayloadEnd end;
        OutputUploads.Result stored;
        try {
          end =
              new Lifecycle(
                      workdir, states, inputs, liveness, wakeup, sigterm, payloadStatus, clock)
                  .follow();
          stored = end == null ? inputsFailed(inputs, states) : storeOutputs(end, states, outputs);
        } catch (IOException | RuntimeException e) {
          states.finish(Transition.ERROR, "the sidecar failed: " + e.getMessage());
          states.flush(flushDeadline());
          throw e;
        }
        boolean succeeded = end != null && stored.succeeded();
        if (succeeded && !options.exitOnDone()) {
          awaitSigterm();
        }
        boolean reported = states.flush(flushDeadline());
        Transition last = states.history().get(states.history().size() - 1);
        return new SidecarReport(
            succeeded && reported ? "ok" : stored.conflict() ? "refused" : "failed",
            options.job(),
            options.task(),
            options.pod(),
            last.state(),
            last.detail(),
            end == null ? null : end.exitCode(),
            states.history().stream().map(Transition::state).toList(),
            SidecarReport.downloadSummary(inputs),
            stored.stored(),
            stored.failures(),
            reported,
            Math.round((System.nanoTime() - startedAt) / 1e7) / 100.0);
      }
    } finally {
      reporters.forEach(StateReporter::close);
      if (payloadStatus != null) {
        payloadStatus.close();
      }
    }
  }

  private Inputs inputs(Workdir workdir) throws IOException {
    if (workdir.payloadStarted()) {
      return Inputs.inUse(workdir);
    }
    return options.manifest() == null
        ? Inputs.writtenByOthers(workdir)
        : Inputs.download(options, workdir, env, err, wakeup);
  }

  /**
   * TERMINATING, the uploads, then the final state: the payload's end, or ERROR when an upload
   * failed.
   */
  private OutputUploads.Result storeOutputs(
      Lifecycle.PayloadEnd end, StateMachine states, SidecarOutputs outputs)
      throws InterruptedException {
    states.moveTo(Transition.TERMINATING, end.detail());
    if (outputs == null) {
      states.finish(end.state(), end.detail() + "; no uploads configured");
      return new OutputUploads.Result(List.of(), List.of(), false);
    }
    OutputUploads.Result result = outputs.storeAll();
    String where = UploadPrefix.withoutQuery(options.outputPrefix());
    if (result.succeeded()) {
      states.finish(
          end.state(),
          end.detail() + "; " + result.stored().size() + " outputs stored under " + where);
    } else {
      states.finish(
          Transition.ERROR,
          end.detail()
              + "; "
              + result.failures().size()
              + " of "
              + (result.failures().size() + result.stored().size())
              + " outputs not stored under "
              + where
              + ": "
              + result.failures().get(0));
    }
    return result;
  }

  private OutputUploads.Result inputsFailed(Inputs inputs, StateMachine states) {
    String reason =
        "the inputs could not be fetched (download exit code "
            + inputs.download().exitCode()
            + "); the payload was not started";
    states.finish(Transition.ERROR, reason);
    // the download's usage or manifest error is the sidecar's too: a rerun would not fix it
    return new OutputUploads.Result(
        List.of(), List.of(reason), inputs.download().exitCode() == ExitCode.USAGE);
  }

  /**
   * A native sidecar stays until Kubernetes stops it: one that exits while the pod runs is
   * restarted.
   */
  private void awaitSigterm() throws InterruptedException {
    log.info("final state reported; waiting for SIGTERM (--exit-on-done exits now)");
    while (!sigterm.requested()) {
      wakeup.await(Duration.ofMinutes(1));
    }
  }

  private Instant flushDeadline() {
    Instant afterSigterm = sigterm.workDeadline();
    return afterSigterm != null ? afterSigterm : clock.instant().plus(options.grace());
  }

  /**
   * Run by the SIGTERM hook when the grace period runs out first: never DONE for outputs not
   * stored.
   */
  private static void reportLostRun(StateMachine states, Instant deadline) {
    if (states.isFinished()) {
      log.error(
          "the grace period ran out before the final state {} was delivered", states.current());
    } else {
      log.error("the grace period ran out before the outputs were stored");
      states.finish(Transition.ERROR, "the grace period ran out before the outputs were stored");
    }
    try {
      states.flush(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String overdue(Liveness liveness) {
    Instant now = clock.instant();
    return liveness.isOverdue(now) ? liveness.describe(now) : null;
  }
}
