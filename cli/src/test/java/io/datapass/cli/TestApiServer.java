package io.datapass.cli;

import static io.datapass.kube.testing.RbacRule.allow;

import io.datapass.kube.testing.ApiServerFixture;
import io.datapass.kube.testing.RbacRule;
import io.datapass.kube.testing.ServiceAccountLogin;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One real kube-apiserver (the local cluster's binaries, {@link ApiServerFixture}) for every
 * integration test class of this module, started on first use; the fixture stops it when the JVM
 * ends. Each test class works in a namespace of its own, as a user allowed what a namespace's owner
 * has: the objects the chart makes, Helm's release Secrets, Events.
 */
public final class TestApiServer {
  private static final String[] VERBS = {
    "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"
  };
  private static ApiServerFixture server;

  private TestApiServer() {}

  public static synchronized ApiServerFixture get() throws IOException, InterruptedException {
    if (server == null) {
      server = ApiServerFixture.start();
    }
    return server;
  }

  public static KubernetesClient admin() throws IOException, InterruptedException {
    return get().admin();
  }

  /** A namespace and a kubeconfig of a user who owns it. */
  public static Path userIn(String namespace, Path dir) throws IOException, InterruptedException {
    ServiceAccountLogin user = ownerOf(namespace);
    Files.createDirectories(dir);
    return Kubeconfigs.write(
        dir.resolve("kubeconfig"), get().url(), get().caFile(), user.token(), namespace);
  }

  /** A namespace and a service account that owns it (mount it as a pod has it). */
  public static ServiceAccountLogin ownerOf(String namespace)
      throws IOException, InterruptedException {
    List<RbacRule> rules = new ArrayList<>();
    for (String core :
        List.of(
            "pods",
            "pods/log",
            "configmaps",
            "secrets",
            "serviceaccounts",
            "services",
            "events",
            "persistentvolumeclaims")) {
      rules.add(allow("", core, VERBS));
    }
    rules.add(allow("batch", "jobs", VERBS));
    rules.add(allow("rbac.authorization.k8s.io", "roles", VERBS));
    rules.add(allow("rbac.authorization.k8s.io", "rolebindings", VERBS));
    return get().serviceAccount(namespace, "physicist", rules.toArray(RbacRule[]::new));
  }
}
