package io.datapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.cli.Run.Result;
import io.datapass.kube.testing.ServiceAccountLogin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command in a pod without a kubeconfig (GitLab's Kubernetes executor): the pod's service
 * account, mounted as Kubernetes mounts it, reaches a real kube-apiserver for fabric8 and Helm
 * alike.
 */
@Timeout(300)
class InClusterOnApiServerIT {
  private static final String NS = "in-pod";
  private static Run inPod;

  @TempDir static Path dir;

  @BeforeAll
  static void serviceAccount() throws Exception {
    ServiceAccountLogin account = TestApiServer.ownerOf(NS);
    Path mounted = account.mountAt(dir.resolve("serviceaccount"));
    inPod = Run.isolated(dir);
    account.podEnvironment(mounted).forEach(inPod::env);
  }

  @Test
  void submitsFollowsAndCancelsAsThePodsServiceAccount() throws Exception {
    Path inputs = Files.write(dir.resolve("inputs.txt"), List.of("gs://ship-data/run-0.root"));

    Result submitted =
        inPod.datapass(
            "submit",
            Run.VALUES.resolve("kpipe.yaml").toString(),
            "--inputs",
            inputs.toString(),
            "--name",
            "in-pod-1");

    assertThat(submitted.code()).as(submitted.toString()).isZero();
    assertThat(submitted.out()).contains("Submitted in-pod-1 to namespace " + NS);
    Result listed = inPod.datapass("list");
    assertThat(listed.code()).as(listed.toString()).isZero();
    assertThat(listed.out()).contains("in-pod-1");
    Result cancelled = inPod.datapass("cancel", "in-pod-1");
    assertThat(cancelled.code()).as(cancelled.toString()).isZero();
  }

  @Test
  void withoutTheServiceAccountsTokenItIsAUsageErrorSayingSo() {
    Result none =
        Run.isolated(dir)
            .env("KUBERNETES_SERVICE_HOST", "127.0.0.1")
            .env("DATAPASS_SERVICE_ACCOUNT_DIR", dir.resolve("nowhere").toString())
            .datapass("list");

    assertThat(none.code()).as(none.toString()).isEqualTo(2);
    assertThat(none.err()).contains("no token at " + dir.resolve("nowhere/token"));
  }
}
