package io.datapass.kube.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A service account of the fixture's API server, bound to a Role of its own, with a token from the
 * TokenRequest API (what the kubelet mounts into a pod). {@link #mountAt} lays out the files a pod
 * gets, and {@link #podEnvironment} the variables that point an agent at them.
 */
public final class ServiceAccountLogin {
  private final ApiServerFixture server;
  private final String namespace;
  private final String name;
  private final String token;
  private volatile List<RbacRule> rules = List.of();

  private ServiceAccountLogin(
      ApiServerFixture server, String namespace, String name, String token) {
    this.server = server;
    this.namespace = namespace;
    this.name = name;
    this.token = token;
  }

  static ServiceAccountLogin create(
      ApiServerFixture server, String namespace, String name, List<RbacRule> rules) {
    KubernetesClient admin = server.admin();
    apply(
        admin, new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build());
    // pods name a service account, "default" unless told otherwise; the controller that makes it
    // does not run here
    for (String account : List.of("default", name)) {
      apply(
          admin,
          new ServiceAccountBuilder()
              .withNewMetadata()
              .withName(account)
              .withNamespace(namespace)
              .endMetadata()
              .build());
    }
    apply(
        admin,
        new RoleBindingBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName(name)
            .withNamespace(namespace)
            .endSubject()
            .build());
    ServiceAccountLogin login = new ServiceAccountLogin(server, namespace, name, null);
    String token = login.newToken();
    login = new ServiceAccountLogin(server, namespace, name, token);
    login.allow(rules.toArray(RbacRule[]::new));
    return login;
  }

  private static void apply(KubernetesClient client, HasMetadata object) {
    client.resource(object).createOr(NonDeletingOperation::update);
  }

  /**
   * Replaces what the account's Role allows by {@code rules}, and waits until the server's
   * authorizer says so.
   */
  public void allow(RbacRule... rules) {
    RoleBuilder role =
        new RoleBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata();
    for (RbacRule rule : rules) {
      role.addToRules(
          new PolicyRuleBuilder()
              .withApiGroups(rule.apiGroup())
              .withResources(rule.resources())
              .withVerbs(rule.verbs())
              .build());
    }
    apply(server.admin(), role.build());
    this.rules = List.of(rules);
    awaitAuthorized();
  }

  /**
   * Waits until the server allows what the Role says: its authorizer watches Roles, so a new Role,
   * or a server just (re)started, takes a moment to be in force.
   */
  void awaitAuthorized() {
    for (RbacRule rule : rules) {
      for (String resource : rule.resources()) {
        for (String verb : rule.verbs()) {
          awaitAllowed(rule.apiGroup(), resource, verb);
        }
      }
    }
  }

  private void awaitAllowed(String group, String resource, String verb) {
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser("system:serviceaccount:" + namespace + ":" + name)
            .withGroups(
                "system:serviceaccounts",
                "system:serviceaccounts:" + namespace,
                "system:authenticated")
            .withNewResourceAttributes()
            .withNamespace(namespace)
            .withGroup(group)
            .withResource(resource)
            .withVerb(verb)
            .endResourceAttributes()
            .endSpec()
            .build();
    for (int i = 0; i < 200; i++) {
      if (Boolean.TRUE.equals(server.admin().resource(review).create().getStatus().getAllowed())) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException(
        name + " is not allowed to " + verb + " " + resource + " after 10 s");
  }

  /**
   * Another token of this account (valid one hour), as the kubelet requests when it rotates the
   * mounted one.
   */
  public String newToken() {
    return server
        .admin()
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(name)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  /**
   * A token that stops working when {@code object} is deleted (as a pod's token does with its pod).
   */
  public String tokenBoundTo(HasMetadata object) {
    return server
        .admin()
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(name)
        .tokenRequest(
            new TokenRequestBuilder()
                .withNewSpec()
                .withExpirationSeconds(3600L)
                .withNewBoundObjectRef(
                    object.getApiVersion(),
                    object.getKind(),
                    object.getMetadata().getName(),
                    object.getMetadata().getUid())
                .endSpec()
                .build())
        .getStatus()
        .getToken();
  }

  public String namespace() {
    return namespace;
  }

  public String token() {
    return token;
  }

  /** A client with this account's token, as a test talks to the server. */
  public KubernetesClient client() {
    return server.clientWith(token, namespace);
  }

  /**
   * Writes {@code token}, {@code ca.crt} and {@code namespace} into {@code dir}, as Kubernetes
   * mounts them.
   */
  public Path mountAt(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("token"), token);
    Files.copy(
        server.caFile(), dir.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("namespace"), namespace);
    return dir;
  }

  /** The environment of a pod running as this account, its files mounted at {@code dir}. */
  public Map<String, String> podEnvironment(Path dir) {
    return Map.of(
        "KUBERNETES_SERVICE_HOST",
        "127.0.0.1",
        "KUBERNETES_SERVICE_PORT",
        Integer.toString(server.port()),
        io.datapass.kube.KubernetesAccess.SERVICE_ACCOUNT_DIR,
        dir.toString());
  }
}
