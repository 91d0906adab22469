package io.datapass.cli.user;

import io.datapass.cli.follow.Submission;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The pods and Services of one user-pod release, by its {@code app.kubernetes.io/instance} label:
 * the user's pod and Service, and a {@code helm test} pod a failed test left (Helm's uninstall
 * leaves hooks' objects). A submission of the same name is never touched: those carry {@code
 * datapass.io/submission}, a user pod does not.
 */
final class ReleaseObjects {
  private static final String INSTANCE = "app.kubernetes.io/instance";

  private final KubernetesClient client;
  private final String namespace;
  private final String release;

  ReleaseObjects(KubernetesClient client, String namespace, String release) {
    this.client = client;
    this.namespace = namespace;
    this.release = release;
  }

  /** What is still there, as "kind/name", terminating objects included. */
  List<String> remaining() {
    List<HasMetadata> found = new ArrayList<>();
    found.addAll(pods().list().getItems());
    found.addAll(services().list().getItems());
    return found.stream()
        .map(o -> o.getKind().toLowerCase() + "/" + o.getMetadata().getName())
        .toList();
  }

  /** Asks for their deletion; pods get their grace period, so the tools end as they would. */
  void delete() {
    pods().delete();
    services().delete();
  }

  private io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable<
          io.fabric8.kubernetes.api.model.Pod,
          io.fabric8.kubernetes.api.model.PodList,
          io.fabric8.kubernetes.client.dsl.PodResource>
      pods() {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel(INSTANCE, release)
        .withoutLabel(Submission.LABEL);
  }

  private io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable<
          io.fabric8.kubernetes.api.model.Service,
          io.fabric8.kubernetes.api.model.ServiceList,
          io.fabric8.kubernetes.client.dsl.ServiceResource<io.fabric8.kubernetes.api.model.Service>>
      services() {
    return client
        .services()
        .inNamespace(namespace)
        .withLabel(INSTANCE, release)
        .withoutLabel(Submission.LABEL);
  }
}
