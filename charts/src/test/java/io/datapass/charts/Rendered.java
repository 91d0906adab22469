package io.datapass.charts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/** The objects one render made, with the ways the tests look into them. */
record Rendered(List<JsonNode> objects) {

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  JsonNode one(String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.path("kind").asText()) && name.equals(name(o)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + names()));
  }

  /** The batch Job: the Job of component "job". */
  JsonNode job() {
    return component("Job", "job");
  }

  JsonNode cleanupJob() {
    return component("Job", "cleanup");
  }

  boolean hasCleanupJob() {
    return ofKind("Job").stream().anyMatch(j -> "cleanup".equals(component(j)));
  }

  /** The batch Job's pod spec. */
  JsonNode pod() {
    return job().path("spec").path("template").path("spec");
  }

  List<JsonNode> initContainers() {
    return list(pod().path("initContainers"));
  }

  List<JsonNode> containers() {
    return list(pod().path("containers"));
  }

  JsonNode container(String name) {
    List<JsonNode> all = new ArrayList<>(initContainers());
    all.addAll(containers());
    return all.stream()
        .filter(c -> name.equals(c.path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  /** The user pod (user-pod chart): the Pod of component "user-pod". */
  JsonNode userPod() {
    return component("Pod", "user-pod");
  }

  JsonNode service() {
    return component("Service", "user-pod");
  }

  /** The user pod's container of that name. */
  JsonNode userContainer(String name) {
    return list(userPod().path("spec").path("containers")).stream()
        .filter(c -> name.equals(c.path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  /** Every pod template of every Job: spec.template.spec. */
  List<JsonNode> podSpecs() {
    return ofKind("Job").stream().map(j -> j.path("spec").path("template").path("spec")).toList();
  }

  /** The manifest the downloader reads, from its ConfigMap (or Secret). */
  String manifest() {
    JsonNode holder =
        objects.stream()
            .filter(o -> name(o).endsWith("-inputs"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no manifest in " + names()));
    JsonNode data = holder.has("stringData") ? holder.get("stringData") : holder.get("data");
    return data.path("manifest.yaml").asText();
  }

  List<String> names() {
    return objects.stream().map(o -> o.path("kind").asText() + "/" + name(o)).toList();
  }

  static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }

  static List<JsonNode> list(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).toList();
  }

  static List<String> strings(JsonNode array) {
    return list(array).stream().map(JsonNode::asText).toList();
  }

  private JsonNode component(String kind, String component) {
    return ofKind(kind).stream()
        .filter(o -> component.equals(component(o)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " of component " + component));
  }

  private static String component(JsonNode object) {
    return object.path("metadata").path("labels").path("app.kubernetes.io/component").asText();
  }
}
