package io.datapass.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Kueue's objects (kueue.x-k8s.io/v1beta2) through fabric8's generic resources: the queues a test
 * makes and the Workloads Kueue makes for each queued Job.
 */
final class Kueue {
  static final String API_VERSION = "kueue.x-k8s.io/v1beta2";
  private static final long WAIT_MINUTES = 4;

  private final KubernetesClient k8s;

  Kueue(KubernetesClient k8s) {
    this.k8s = k8s;
  }

  /** Fails, saying how to start it, unless Kueue's CRDs and controller are on the cluster. */
  void requireInstalled() {
    boolean crds =
        k8s.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("workloads.kueue.x-k8s.io")
                .get()
            != null;
    var controller =
        k8s.apps()
            .deployments()
            .inNamespace("kueue-system")
            .withName("kueue-controller-manager")
            .get();
    boolean available =
        controller != null
            && controller.getStatus() != null
            && Integer.valueOf(1).equals(controller.getStatus().getAvailableReplicas());
    if (!crds || !available) {
      throw new IllegalStateException(
          "Kueue is not running on this cluster: start it with `ci/cluster kueue up` "
              + "(ci/test does this before KueueOnClusterIT)");
    }
  }

  /** Creates the objects of a multi-document YAML string (cluster-scoped or namespaced). */
  void create(String yaml) {
    for (String document : yaml.split("(?m)^---$")) {
      GenericKubernetesResource object =
          k8s.getKubernetesSerialization().unmarshal(document, GenericKubernetesResource.class);
      k8s.resource(object).create();
    }
  }

  void delete(String kind, String name) {
    k8s.genericKubernetesResources(API_VERSION, kind).withName(name).delete();
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      of(String kind, String namespace) {
    var all = k8s.genericKubernetesResources(API_VERSION, kind);
    return namespace == null ? all : all.inNamespace(namespace);
  }

  /** Until the queue's Active condition is True (its ClusterQueue and flavors exist). */
  void waitActive(String kind, String namespace, String name) {
    of(kind, namespace)
        .withName(name)
        .waitUntilCondition(q -> isTrue(q, "Active"), WAIT_MINUTES, TimeUnit.MINUTES);
  }

  /** The Workload of the Job, once Kueue has admitted it. */
  GenericKubernetesResource admittedWorkloadOf(String namespace, String job) {
    return workloadOf(namespace, job, w -> isTrue(w, "Admitted"));
  }

  /** The Workload of the Job, once Kueue has found no quota for it. */
  GenericKubernetesResource pendingWorkloadOf(String namespace, String job) {
    return workloadOf(
        namespace, job, w -> "False".equals(condition(w, "QuotaReserved").get("status")));
  }

  private GenericKubernetesResource workloadOf(
      String namespace, String job, Predicate<GenericKubernetesResource> state) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(WAIT_MINUTES);
    List<GenericKubernetesResource> owned = List.of();
    while (System.nanoTime() < deadline) {
      owned =
          of("Workload", namespace).list().getItems().stream()
              .filter(
                  w ->
                      w.getMetadata().getOwnerReferences().stream()
                          .anyMatch(o -> o.getKind().equals("Job") && o.getName().equals(job)))
              .toList();
      if (owned.size() == 1 && state.test(owned.get(0))) {
        return owned.get(0);
      }
      sleep();
    }
    throw new AssertionError("the Workload of Job " + job + " did not reach the state: " + owned);
  }

  private static boolean isTrue(GenericKubernetesResource object, String type) {
    return object != null && "True".equals(condition(object, type).get("status"));
  }

  /** The status condition of that type, empty when there is none. */
  static Map<String, Object> condition(GenericKubernetesResource object, String type) {
    List<Map<String, Object>> conditions = object.get("status", "conditions");
    return Optional.ofNullable(conditions).orElse(List.of()).stream()
        .filter(c -> type.equals(c.get("type")))
        .findFirst()
        .orElse(Map.of());
  }

  private static void sleep() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
