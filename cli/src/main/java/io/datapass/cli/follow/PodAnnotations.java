package io.datapass.cli.follow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.common.Printable;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the sidecar wrote on its pod (with {@code --report-to-pod}): the state, the last transitions
 * and the uploads' progress. Read leniently: a pod without them, or with a value this version does
 * not understand, shows what the pod itself says instead.
 *
 * @param state {@code datapass.io/state}, or null
 * @param history {@code datapass.io/state-history}, oldest first
 * @param bytesOut {@code bytesStored} of {@code datapass.io/progress}, or null
 */
public record PodAnnotations(String state, List<Transition> history, Long bytesOut) {
  public static final String STATE = "datapass.io/state";
  public static final String HISTORY = "datapass.io/state-history";
  public static final String PROGRESS = "datapass.io/progress";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One transition: the state, when it was entered, and why (may be null). */
  public record Transition(String state, Instant at, String detail) {}

  public static PodAnnotations of(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    if (annotations == null) {
      return new PodAnnotations(null, List.of(), null);
    }
    return new PodAnnotations(
        annotations.get(STATE),
        history(annotations.get(HISTORY)),
        bytesOut(annotations.get(PROGRESS)));
  }

  public Transition last() {
    return history.isEmpty() ? null : history.get(history.size() - 1);
  }

  private static List<Transition> history(String json) {
    List<Transition> transitions = new ArrayList<>();
    JsonNode entries = parse(json);
    for (JsonNode entry : entries) {
      String state = entry.path("state").asText(null);
      if (state == null) {
        continue;
      }
      // written by a pod: no control character of it reaches the terminal
      transitions.add(
          new Transition(
              Printable.escaped(state),
              instant(entry.path("at").asText(null)),
              Printable.escaped(entry.path("detail").asText(null))));
    }
    return transitions;
  }

  private static Long bytesOut(String json) {
    JsonNode bytes = parse(json).path("bytesStored");
    return bytes.canConvertToLong() ? bytes.asLong() : null;
  }

  private static JsonNode parse(String json) {
    if (json == null) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(json);
    } catch (IOException unreadable) {
      return JSON.missingNode();
    }
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException unreadable) {
      return null;
    }
  }
}
