package io.datapass.sidecar;

import io.datapass.common.ConfigException;
import io.datapass.common.Secrets;
import io.datapass.kube.KubernetesAccess;
import io.datapass.kube.KubernetesConfigException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads how the payload container ended from the sidecar's own pod ({@link PayloadTermination}):
 * the kubelet may post the container's terminated state a moment after it sends the sidecar
 * SIGTERM, so it is waited for with a watch (or, where the Role allows no watch, a get every half
 * second), for a bounded time. Whatever the API server does, the answer comes within that bound: a
 * failure or silence leaves the end as the /workdir files showed it.
 */
final class PayloadStatus implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PayloadStatus.class);

  /** The longest wait for the status: the kubelet usually posts it within a second. */
  static final Duration MAX_WAIT = Duration.ofSeconds(5);

  private static final Duration POLL = Duration.ofMillis(500);

  private final KubernetesClient client;
  private final String pod;
  private final String named;
  private final Duration wait;
  private final AtomicReference<Pod> latest = new AtomicReference<>();
  private boolean resolved;
  private String container;

  /**
   * @param named the payload's container; null: the pod's only regular container
   * @param wait how long to wait for its terminated state
   */
  PayloadStatus(KubernetesClient client, String pod, String named, Duration wait) {
    this.client = client;
    this.pod = pod;
    this.named = named;
    this.wait = wait;
  }

  /** The pod's own access, waiting at most a fifth of the grace period (and {@link #MAX_WAIT}). */
  static PayloadStatus inPod(Map<String, String> env, String named, Duration grace)
      throws ConfigException {
    try {
      Duration fifth = grace.dividedBy(5);
      return new PayloadStatus(
          KubernetesAccess.inCluster(env, KubernetesAccess.Retries.standard(0), Secrets::hide),
          env.get("POD_NAME"),
          named,
          fifth.compareTo(MAX_WAIT) < 0 ? fifth : MAX_WAIT);
    } catch (KubernetesConfigException e) {
      throw new ConfigException(
          "--report-to-pod needs the pod's service account: " + e.getMessage());
    }
  }

  /**
   * The end to report, from the files' and the pod's account of it; a payload that wrote {@code
   * done} with 0 is taken at its word without asking.
   */
  Lifecycle.PayloadEnd explain(Lifecycle.PayloadEnd fromFiles, boolean doneWritten)
      throws InterruptedException {
    if (doneWritten && Integer.valueOf(0).equals(fromFiles.exitCode())) {
      return fromFiles;
    }
    Instant deadline = Instant.now().plus(wait);
    CompletableFuture<Pod> answer = new CompletableFuture<>();
    Thread reader = new Thread(() -> answer.complete(read(deadline)), "payload-status");
    reader.setDaemon(true);
    reader.start();
    Pod seen;
    try {
      // a request the API server never answers must not hold the final upload
      seen = answer.get(wait.plusMillis(500).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      reader.interrupt();
      log.warn("pod {}: no answer within {} ms", pod, wait.toMillis());
      seen = latest.get();
    }
    if (seen == null) {
      return fromFiles;
    }
    PayloadTermination termination = PayloadTermination.of(seen, container(seen));
    log.info("pod {}: the payload container's status: {}", pod, termination.describe());
    return termination.explain(fromFiles, doneWritten);
  }

  /** The pod once the payload's terminated state is in it, else the last one seen by then. */
  private Pod read(Instant deadline) {
    try {
      return readUntil(deadline);
    } catch (InterruptedException | RuntimeException e) {
      return latest.get();
    }
  }

  private Pod readUntil(Instant deadline) throws InterruptedException {
    String failure = null;
    boolean watch = true;
    while (Instant.now().isBefore(deadline)) {
      Pod current;
      try {
        current = client.pods().withName(pod).get();
      } catch (KubernetesClientException e) {
        failure = why(e);
        Thread.sleep(POLL.toMillis());
        continue;
      }
      if (current == null) {
        log.warn("pod {} not found: the payload's end is reported without its status", pod);
        return null;
      }
      latest.set(current);
      String payload = container(current);
      if (payload == null || PayloadTermination.terminated(current, payload) != null) {
        return current;
      }
      if (watch) {
        try {
          Pod ended = watch(current.getMetadata().getResourceVersion(), payload, deadline);
          if (ended != null) {
            return ended;
          }
        } catch (KubernetesClientException e) {
          watch = false;
          log.info(
              "pod {}: cannot watch it ({}); asking every {} ms", pod, why(e), POLL.toMillis());
        }
      } else {
        Thread.sleep(POLL.toMillis());
      }
    }
    if (latest.get() == null && failure != null) {
      log.warn(
          "pod {}: cannot read the payload container's status ({}); its end is reported"
              + " without it",
          pod,
          failure);
    }
    return latest.get();
  }

  /** The pod once the payload's terminated state is in it; null at the deadline or a close. */
  private Pod watch(String resourceVersion, String payload, Instant deadline)
      throws InterruptedException {
    CompletableFuture<Pod> ended = new CompletableFuture<>();
    Watcher<Pod> watcher =
        new Watcher<>() {
          @Override
          public void eventReceived(Action action, Pod changed) {
            latest.set(changed);
            if (PayloadTermination.terminated(changed, payload) != null) {
              ended.complete(changed);
            }
          }

          @Override
          public void onClose(WatcherException cause) {
            ended.complete(null); // asked again with a get
          }
        };
    try (Watch ignored =
        client
            .pods()
            .withName(pod)
            .watch(
                new ListOptionsBuilder().withResourceVersion(resourceVersion).build(), watcher)) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      return ended.get(Math.max(left, 0), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return null;
    }
  }

  /** The payload's container, resolved once: named, or the pod's only one; null with a warning. */
  private synchronized String container(Pod current) {
    if (!resolved) {
      resolved = true;
      List<String> names =
          current.getSpec() == null
              ? List.of()
              : current.getSpec().getContainers().stream().map(Container::getName).toList();
      if (named != null ? names.contains(named) : names.size() == 1) {
        container = named != null ? named : names.get(0);
      } else {
        log.warn(
            "pod {} has the containers {}{}: the payload's end is reported without its"
                + " container's status",
            pod,
            names,
            named != null
                ? " and no " + named + " (--payload-container)"
                : "; --payload-container (DATAPASS_PAYLOAD_CONTAINER) names the payload's");
      }
    }
    return container;
  }

  private static String why(KubernetesClientException e) {
    int code = e.getCode();
    String message = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
    return (code > 0 ? "HTTP " + code + ": " : "no answer: ") + message;
  }

  @Override
  public void close() {
    client.close();
  }
}
