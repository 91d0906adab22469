package io.datapass.cleanup;

import static io.datapass.kube.testing.RbacRule.allow;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import io.datapass.kube.testing.ApiServerFixture;
import io.datapass.kube.testing.RbacRule;
import io.datapass.kube.testing.ServiceAccountLogin;
import io.datapass.transfer.testing.FakeGcsServer;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --delete} against a real kube-apiserver (etcd and kube-apiserver of the local cluster's
 * build; no controller-manager), as a pod's service account allowed only to delete Jobs and claims.
 * Without the garbage collector and the claim-protection controller, what is real here is the API
 * server's part: a Job deleted with background propagation is gone at once (orphan or foreground
 * deletion would leave it behind a finalizer); a claim is marked for deletion, and goes once no pod
 * uses it.
 */
@Timeout(240)
class CleanupKubernetesIT {
  private static final String BUCKET = "datapass-deletes";
  private static final RbacRule DELETE_JOBS = allow("batch", "jobs", "delete");
  private static final RbacRule DELETE_CLAIMS = allow("", "persistentvolumeclaims", "delete");

  @TempDir static Path serverDir;
  private static ApiServerFixture api;
  private static FakeGcsServer gcs;

  @TempDir Path dir;
  private Path output;

  @BeforeAll
  static void startServers() throws Exception {
    api = ApiServerFixture.start();
    gcs = FakeGcsServer.start(serverDir);
    gcs.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServers() throws Exception {
    api.close();
    gcs.close();
  }

  @BeforeEach
  void jobOutput() throws Exception {
    output = Files.createDirectories(dir.resolve("output"));
    Files.write(output.resolve("events.root"), new byte[200_000]);
  }

  private AgentRun cleanup(Map<String, String> env, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--output",
                output.toString(),
                "--scratch",
                dir.resolve("scratch").toString(),
                "--gcs-endpoint",
                gcs.endpoint(),
                "--retries",
                "1"));
    all.addAll(List.of(args));
    return AgentRun.of(all, env);
  }

  /**
   * A pod's service account in its own namespace, allowed {@code rules}, mounted under the test's
   * directory.
   */
  private ServiceAccountLogin account(String namespace, RbacRule... rules) {
    return api.serviceAccount(namespace, "cleanup", rules);
  }

  private Map<String, String> pod(ServiceAccountLogin account) throws Exception {
    return account.podEnvironment(account.mountAt(dir.resolve("serviceaccount")));
  }

  /** A finished job as the API server holds it: the Job, a pod it owns, and its output claim. */
  private static void finishedJob(String namespace, String name) {
    KubernetesClient admin = api.admin();
    Job job =
        admin
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .resource(
                new JobBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .endMetadata()
                    .withNewSpec()
                    .withNewTemplate()
                    .withNewSpec()
                    .withRestartPolicy("Never")
                    .addNewContainer()
                    .withName("payload")
                    .withImage("busybox:1")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();
    admin
        .pods()
        .inNamespace(namespace)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name + "-x7k2p")
                .addNewOwnerReference()
                .withApiVersion("batch/v1")
                .withKind("Job")
                .withName(name)
                .withUid(job.getMetadata().getUid())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName("payload")
                .withImage("busybox:1")
                .endContainer()
                .endSpec()
                .build())
        .create();
    admin
        .persistentVolumeClaims()
        .inNamespace(namespace)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name + "-output")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity("1Mi"))
                .endResources()
                .endSpec()
                .build())
        .create();
  }

  private static Job job(String namespace, String name) {
    return api.admin().batch().v1().jobs().inNamespace(namespace).withName(name).get();
  }

  private static PersistentVolumeClaim claim(String namespace, String name) {
    return api.admin().persistentVolumeClaims().inNamespace(namespace).withName(name).get();
  }

  @Test
  void deletesTheJobAndItsClaimAsAServiceAccountAllowedOnlyThat() throws Exception {
    ServiceAccountLogin account = account("deletes", DELETE_JOBS, DELETE_CLAIMS);
    finishedJob("deletes", "job-42");

    AgentRun run =
        cleanup(
            pod(account),
            "--job",
            "job-42",
            "--upload-to",
            dir.resolve("shared") + "/",
            "--delete",
            "job/job-42",
            "--delete",
            "pvc/job-42-output",
            "--delete",
            "job/job-gone-before");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(job("deletes", "job-42")).isNull();
    assertThat(claim("deletes", "job-42-output").getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(run.json().at("/removed").toString())
        .isEqualTo("[\"job/job-42\",\"pvc/job-42-output\",\"job/job-gone-before\"]");
  }

  @Test
  void aDeleteTheServiceAccountMayNotMakeExitsTwoAndSaysWhichRoleIsMissing() throws Exception {
    ServiceAccountLogin account = account("forbidden", DELETE_CLAIMS);
    finishedJob("forbidden", "job-43");

    AgentRun run =
        cleanup(
            pod(account),
            "--job",
            "job-43",
            "--upload-to",
            dir.resolve("shared") + "/",
            "--delete",
            "pvc/job-43-output",
            "--delete",
            "job/job-43");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "cleanup: the outputs are stored and [pvc/job-43-output] removed, but deleting "
                + "job/job-43 in namespace forbidden was refused (HTTP 403: ",
            "): the pod's service account needs a Role allowing delete on jobs");
    assertThat(job("forbidden", "job-43")).isNotNull();
    assertThat(dir.resolve("shared/job-43-output.zip")).exists();
  }

  @Test
  void aRerunAfterTheApiServerWasDownKeepsTheStoredZipAndFinishesTheDeletes() throws Exception {
    ServiceAccountLogin account = account("outage", DELETE_JOBS, DELETE_CLAIMS);
    finishedJob("outage", "job-44");
    Map<String, String> pod = pod(account);
    String[] args = {
      "--job",
      "job-44",
      "--upload-to",
      dir.resolve("shared") + "/",
      "--remove",
      output.toString(),
      "--delete",
      "job/job-44",
      "--delete",
      "pvc/job-44-output"
    };

    api.stopApiServer();
    AgentRun first;
    try {
      first = cleanup(pod, args);
    } finally {
      api.startApiServer();
    }
    assertThat(first.exitCode()).as(first.err()).isEqualTo(1);
    assertThat(first.err())
        .contains("the outputs are stored and [" + output + "] removed, but deleting job/job-44");
    assertThat(output).isEmptyDirectory();
    byte[] zip = Files.readAllBytes(dir.resolve("shared/job-44-output.zip"));
    assertThat(OutputTreeTest.entries(zip)).containsOnlyKeys("events.root");

    AgentRun rerun = cleanup(pod, args);

    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(dir.resolve("shared/job-44-output.zip")).hasBinaryContent(zip);
    assertThat(rerun.json().at("/alreadyStored").asBoolean()).isTrue();
    assertThat(job("outage", "job-44")).isNull();
    assertThat(claim("outage", "job-44-output").getMetadata().getDeletionTimestamp()).isNotNull();
  }

  @Test
  void aRerunAfterARefusedDeleteKeepsTheStoredZipInGcsAndFinishesTheDeletes() throws Exception {
    ServiceAccountLogin account = account("granted-late", DELETE_CLAIMS);
    finishedJob("granted-late", "job-45");
    Map<String, String> pod = pod(account);
    String[] args = {
      "--job",
      "job-45",
      "--upload-to",
      "gs://" + BUCKET + "/outputs/",
      "--remove",
      output.toString(),
      "--delete",
      "job/job-45",
      "--delete",
      "pvc/job-45-output"
    };
    AgentRun first = cleanup(pod, args);
    assertThat(first.exitCode()).as(first.err()).isEqualTo(2);
    Blob stored = gcs.storage().get(BlobId.of(BUCKET, "outputs/job-45-output.zip"));

    account.allow(DELETE_JOBS, DELETE_CLAIMS);
    AgentRun rerun = cleanup(pod, args);

    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    Blob after = gcs.storage().get(BlobId.of(BUCKET, "outputs/job-45-output.zip"));
    assertThat(after.getGeneration()).isEqualTo(stored.getGeneration());
    assertThat(after.getContent()).isEqualTo(stored.getContent());
    assertThat(job("granted-late", "job-45")).isNull();
  }
}
