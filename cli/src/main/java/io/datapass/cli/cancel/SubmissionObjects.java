package io.datapass.cli.cancel;

import io.datapass.cli.follow.Submission;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every object of one submission, by the label {@code datapass.io/submission}: each kind the charts
 * create, and the Events about them (the sidecar's, the Job controller's), which carry no label.
 */
final class SubmissionObjects {
  /** A kind the charts create, as the client reaches it. */
  private record Kind(
      String name,
      Function<
              KubernetesClient,
              MixedOperation<
                  ? extends HasMetadata,
                  ? extends KubernetesResourceList<?>,
                  ? extends Resource<?>>>
          operation) {}

  private static final List<Kind> KINDS =
      List.of(
          new Kind("job", c -> c.batch().v1().jobs()),
          new Kind("pod", KubernetesClient::pods),
          new Kind("configmap", KubernetesClient::configMaps),
          new Kind("secret", KubernetesClient::secrets),
          new Kind("persistentvolumeclaim", KubernetesClient::persistentVolumeClaims),
          new Kind("serviceaccount", KubernetesClient::serviceAccounts),
          new Kind("service", KubernetesClient::services),
          new Kind("role", c -> c.rbac().roles()),
          new Kind("rolebinding", c -> c.rbac().roleBindings()));

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  SubmissionObjects(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  /** What is still there, as "kind/name", terminating objects included. */
  List<String> remaining() {
    List<String> found = new ArrayList<>();
    for (Kind kind : KINDS) {
      for (HasMetadata object :
          kind.operation()
              .apply(client)
              .inNamespace(namespace)
              .withLabel(Submission.LABEL, name)
              .list()
              .getItems()) {
        found.add(kind.name() + "/" + object.getMetadata().getName());
      }
    }
    return found;
  }

  /**
   * Asks for the deletion of every labelled object: Jobs with background propagation (their pods
   * are deleted here too, for clusters without a garbage collector to hurry), pods with their grace
   * period, so that the sidecar stores the outputs on its way out.
   */
  void delete() {
    for (Kind kind : KINDS) {
      var selected =
          kind.operation().apply(client).inNamespace(namespace).withLabel(Submission.LABEL, name);
      if (kind.name().equals("job")) {
        selected.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      } else {
        selected.delete();
      }
    }
  }

  /** Deletes the Events about these objects ("kind/name"); returns how many there were. */
  int deleteEvents(List<String> involved) {
    int deleted = 0;
    for (String object : involved) {
      String objectName = object.substring(object.indexOf('/') + 1);
      var events =
          client.v1().events().inNamespace(namespace).withField("involvedObject.name", objectName);
      int count = events.list().getItems().size();
      if (count > 0) {
        events.delete();
        deleted += count;
      }
    }
    return deleted;
  }
}
