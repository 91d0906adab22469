package io.datapass.sidecar;

import io.datapass.transfer.engine.RetryPolicy;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each transition to the sidecar's own pod (annotations and an Event, {@link
 * PodStateWriter}), in order ({@link QueuedReporter}). A write failing on the connection, or
 * answered 408, 429 or 5xx, is retried with backoff until {@link #flush} gives up at its deadline,
 * and so is a 401 or 403: a restarted API server refuses until its RBAC caches fill, and a Role can
 * be fixed while the pod runs. Only a request that cannot succeed (400, 404, 422) loses its
 * transition at once; either way the loss is logged and makes {@link #flush} return false.
 *
 * <p>Between transitions, the uploads' progress is written every {@link #PROGRESS_EVERY} when it
 * changed: a few patches a minute however many files are uploaded, never one per file.
 */
final class KubernetesReporter extends QueuedReporter {
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(KubernetesReporter.class);

  private final PodStateWriter pod;
  private String progressError;

  KubernetesReporter(PodStateWriter pod, int capacity, RetryPolicy backoff) {
    super(pod.target(), "written", true, capacity, backoff);
    this.pod = pod;
    sendBetween(PROGRESS_EVERY);
    start();
  }

  /** The progress when it changed; a failure is logged once, and the next call tries again. */
  @Override
  void between() {
    try {
      pod.writeProgress();
      progressError = null;
    } catch (KubernetesClientException e) {
      if (progressError == null) {
        progressError = e.getMessage();
        log.warn("{}: progress not written ({}); trying again", pod.target(), progressError);
      }
    }
  }

  @Override
  public void close() {
    super.close();
    pod.close();
  }

  /** One write; null when the API server took it. */
  @Override
  Failure send(Transition transition) {
    try {
      pod.write(transition);
      return null;
    } catch (KubernetesClientException e) {
      int code = e.getCode(); // 0 or -1: no answer (refused, reset, timed out)
      String why = e.getStatus() != null ? e.getStatus().getMessage() : null;
      return new Failure(
          (code > 0 ? "HTTP " + code + ": " : "no answer: ") + (why != null ? why : e.getMessage()),
          code != 400 && code != 404 && code != 422);
    }
  }
}
