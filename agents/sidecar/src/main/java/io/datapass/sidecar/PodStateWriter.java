package io.datapass.sidecar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.common.ConfigException;
import io.datapass.common.Secrets;
import io.datapass.kube.KubernetesAccess;
import io.datapass.kube.KubernetesConfigException;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes one transition to the sidecar's own pod: the state annotations (a JSON merge patch, so
 * only ours change) and one Event. Writing the same transition again (a retry after a partial
 * failure) changes nothing: the history takes it once and the Event's name is fixed per transition.
 * The uploads' progress goes with each transition and, between them, on its own when it changed;
 * each write takes the progress of its moment, one write at a time, so it never goes back.
 */
final class PodStateWriter implements AutoCloseable {
  static final String STATE = "datapass.io/state";
  static final String HISTORY = "datapass.io/state-history";
  static final String PROGRESS = "datapass.io/progress";

  /** 20 transitions of at most ~400 bytes each: far below the 256 KiB of all annotations. */
  static final int HISTORY_KEPT = 20;

  private static final int DETAIL_KEPT = 256;
  private static final int MESSAGE_KEPT = 1024;
  private static final int REASON_KEPT = 128;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final String pod;
  // names this run's Events apart from those of an earlier run of the same (restarted) sidecar
  private final String run = Long.toString(System.currentTimeMillis(), 36);
  private final Deque<Map<String, String>> history = new ArrayDeque<>();
  private Transition lastInHistory;
  private int written;
  private Supplier<String> progress = () -> null;
  private String progressWritten;

  PodStateWriter(KubernetesClient client, String pod) {
    this.client = client;
    this.pod = pod;
  }

  /** Where the uploads' progress comes from (JSON); null from it: no uploads, no annotation. */
  PodStateWriter withProgress(Supplier<String> progress) {
    this.progress = progress;
    return this;
  }

  /** The pod's own access; a usage error when the sidecar does not run in a pod that has it. */
  static PodStateWriter inPod(Map<String, String> env, int retries) throws ConfigException {
    String pod = env.get("POD_NAME");
    if (pod == null || pod.isBlank()) {
      throw new ConfigException(
          "--report-to-pod needs POD_NAME, the pod's name from the downward API"
              + " (env valueFrom fieldRef metadata.name)");
    }
    try {
      return new PodStateWriter(
          KubernetesAccess.inCluster(
              env, KubernetesAccess.Retries.standard(retries), Secrets::hide),
          pod);
    } catch (KubernetesConfigException e) {
      throw new ConfigException(
          "--report-to-pod needs the pod's service account: " + e.getMessage());
    }
  }

  String target() {
    return "pod " + client.getNamespace() + "/" + pod;
  }

  /** The annotations, then the Event; throws what the API server answered. */
  synchronized void write(Transition transition) throws KubernetesClientException {
    if (transition != lastInHistory) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("state", transition.state());
      entry.put("at", transition.timestamp());
      if (transition.detail() != null) {
        entry.put("detail", cut(Secrets.mask(transition.detail()), DETAIL_KEPT));
      }
      history.addLast(entry);
      if (history.size() > HISTORY_KEPT) {
        history.removeFirst();
      }
      lastInHistory = transition;
      written++;
    }
    Pod patched = annotate(transition);
    event(transition, patched.getMetadata().getUid());
  }

  /**
   * The progress annotation alone, when it changed since it was last written; false when there was
   * nothing to write.
   */
  synchronized boolean writeProgress() throws KubernetesClientException {
    String now = progress.get();
    if (now == null || now.equals(progressWritten)) {
      return false;
    }
    patch(Map.of(PROGRESS, now));
    progressWritten = now;
    return true;
  }

  private Pod annotate(Transition transition) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(STATE, transition.state());
    annotations.put(HISTORY, json(history));
    String now = progress.get();
    if (now != null) {
      annotations.put(PROGRESS, now);
    }
    Pod patched = patch(annotations);
    progressWritten = now;
    return patched;
  }

  private Pod patch(Map<String, String> annotations) {
    String patch = json(Map.of("metadata", Map.of("annotations", annotations)));
    return client.pods().withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  private void event(Transition transition, String uid) {
    String state = transition.state();
    boolean bad =
        Transition.ERROR.equals(state)
            || Transition.KILLED.equals(state)
            || Transition.UNHEALTHY.equals(state);
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(pod + "." + run + "-" + written)
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion("v1")
            .withKind("Pod")
            .withNamespace(client.getNamespace())
            .withName(pod)
            .withUid(uid)
            .endInvolvedObject()
            .withReason(cut(state, REASON_KEPT))
            .withMessage(cut(Secrets.mask(message(transition)), MESSAGE_KEPT))
            .withType(bad ? "Warning" : "Normal")
            .withFirstTimestamp(transition.timestamp())
            .withLastTimestamp(transition.timestamp())
            .withCount(1)
            .withNewSource()
            .withComponent("datapass-sidecar")
            .endSource()
            .withReportingComponent("datapass.io/sidecar")
            .withReportingInstance(cut(pod, REASON_KEPT))
            .build();
    try {
      client.v1().events().resource(event).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) { // 409: an earlier attempt created it, its answer was lost
        throw e;
      }
    }
  }

  private static String message(Transition transition) {
    if (transition.detail() != null) {
      return transition.detail();
    }
    return transition.previous() == null ? transition.state() : transition.describe();
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
