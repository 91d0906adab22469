package io.datapass.cleanup;

import static io.datapass.kube.testing.RbacRule.allow;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.BlobId;
import io.datapass.kube.testing.ApiServerFixture;
import io.datapass.kube.testing.RbacRule;
import io.datapass.kube.testing.ServiceAccountLogin;
import io.datapass.transfer.testing.FakeGcsServer;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --wait-for-job} against a real kube-apiserver (etcd and kube-apiserver of the local
 * cluster's build; no controller-manager), as a pod's service account allowed to get, watch and
 * delete Jobs and delete claims. No Job controller runs here, so the test writes the Job's status
 * through the status subresource as the controller would: running, then Complete or Failed.
 */
@Timeout(300)
class CleanupWaitForJobIT {
  private static final String BUCKET = "datapass-waits";
  private static final RbacRule WATCH_JOBS = allow("batch", "jobs", "get", "watch", "delete");
  private static final RbacRule DELETE_CLAIMS = allow("", "persistentvolumeclaims", "delete");

  @TempDir static Path serverDir;
  private static ApiServerFixture api;
  private static FakeGcsServer gcs;
  private static final ExecutorService runner = Executors.newCachedThreadPool();

  @TempDir Path dir;
  private Path output;
  private Path shared;

  @BeforeAll
  static void startServers() throws Exception {
    api = ApiServerFixture.start();
    gcs = FakeGcsServer.start(serverDir);
    gcs.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServers() throws Exception {
    runner.shutdownNow();
    api.close();
    gcs.close();
  }

  @BeforeEach
  void payloadOutput() throws Exception {
    output = Files.createDirectories(dir.resolve("output"));
    Files.writeString(output.resolve("log"), "event loop done\n");
    Files.write(output.resolve("events.root"), new byte[100_000]);
    shared = dir.resolve("shared");
  }

  /** The pod's environment for a service account of {@code namespace} allowed {@code rules}. */
  private Map<String, String> pod(String namespace, RbacRule... rules) throws Exception {
    ServiceAccountLogin account = api.serviceAccount(namespace, "cleanup", rules);
    return account.podEnvironment(account.mountAt(dir.resolve("serviceaccount")));
  }

  private Map<String, String> pod(String namespace) throws Exception {
    return pod(namespace, WATCH_JOBS, DELETE_CLAIMS);
  }

  /** The task-runner flow: wait for job-N, store its outputs, delete it and its claim. */
  private List<String> flow(String name, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--job",
                name,
                "--wait-for-job",
                name,
                "--output",
                output.toString(),
                "--scratch",
                dir.resolve("scratch").toString(),
                "--retries",
                "1",
                "--delete",
                "job/" + name,
                "--delete",
                "pvc/" + name + "-output"));
    args.addAll(List.of(more));
    if (!args.contains("--upload-to")) {
      args.addAll(List.of("--upload-to", shared + "/"));
    }
    return args;
  }

  /** The cleanup on a thread of its own: it waits, while the test plays the Job controller. */
  private CompletableFuture<AgentRun> start(Map<String, String> env, List<String> args) {
    return CompletableFuture.supplyAsync(() -> AgentRun.of(args, env), runner);
  }

  private static Resource<Job> job(String namespace, String name) {
    return api.admin().batch().v1().jobs().inNamespace(namespace).withName(name);
  }

  private static PersistentVolumeClaim claim(String namespace, String name) {
    return api.admin().persistentVolumeClaims().inNamespace(namespace).withName(name).get();
  }

  private void assertNothingStoredOrDeleted(String namespace, String name) {
    assertThat(shared).doesNotExist();
    assertThat(job(namespace, name).get()).isNotNull();
    assertThat(claim(namespace, name + "-output").getMetadata().getDeletionTimestamp()).isNull();
  }

  /** Until the cleanup has a watch open (and its first read done): the API server counts them. */
  private static void awaitWatchOfJobs(int count) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (KubeJobs.watchesOfJobs(api) != count) {
      assertThat(System.nanoTime()).as("watches of jobs to become %d", count).isLessThan(end);
      Thread.sleep(100);
    }
  }

  @Test
  void waitsWhileTheJobRunsThenStoresTheOutputsAndDeletesTheJobAndItsClaim() throws Exception {
    KubeJobs.running(api.admin(), "complete", "job-51");
    Map<String, String> env = pod("complete");
    awaitWatchOfJobs(0);

    CompletableFuture<AgentRun> run = start(env, flow("job-51"));
    awaitWatchOfJobs(1);
    Thread.sleep(1000);
    assertThat(run).isNotDone();
    assertNothingStoredOrDeleted("complete", "job-51");

    KubeJobs.finish(api.admin(), "complete", "job-51", KubeJobs.End.COMPLETE);
    AgentRun done = run.get(60, TimeUnit.SECONDS);

    assertThat(done.exitCode()).as(done.err()).isZero();
    assertThat(OutputTreeTest.entries(Files.readAllBytes(shared.resolve("job-51-output.zip"))))
        .containsOnlyKeys("events.root", "log");
    assertThat(job("complete", "job-51").get()).isNull();
    assertThat(claim("complete", "job-51-output").getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(done.json().at("/waitedFor").toString())
        .isEqualTo(
            "{\"name\":\"job-51\",\"state\":\"Complete\",\"reason\":\"CompletionsReached\","
                + "\"message\":\"Reached expected number of succeeded pods\",\"succeeded\":1,\"failed\":0}");
    assertThat(done.json().at("/removed").toString())
        .isEqualTo("[\"job/job-51\",\"pvc/job-51-output\"]");
  }

  @Test
  void storesTheOutputsOfAFailedJobTooAndReportsItFailed() throws Exception {
    KubeJobs.running(api.admin(), "failed", "job-52");
    Map<String, String> env = pod("failed");
    awaitWatchOfJobs(0);

    CompletableFuture<AgentRun> run =
        start(
            env,
            flow(
                "job-52",
                "--upload-to",
                "gs://" + BUCKET + "/out/",
                "--gcs-endpoint",
                gcs.endpoint()));
    awaitWatchOfJobs(1);
    KubeJobs.finish(api.admin(), "failed", "job-52", KubeJobs.End.FAILED);
    AgentRun done = run.get(60, TimeUnit.SECONDS);

    assertThat(done.exitCode()).as(done.err()).isZero();
    byte[] zip = gcs.storage().get(BlobId.of(BUCKET, "out/job-52-output.zip")).getContent();
    assertThat(OutputTreeTest.entries(zip)).containsOnlyKeys("events.root", "log");
    assertThat(done.json().at("/waitedFor/state").asText()).isEqualTo("Failed");
    assertThat(done.json().at("/waitedFor/reason").asText()).isEqualTo("BackoffLimitExceeded");
    assertThat(done.json().at("/waitedFor/failed").asInt()).isEqualTo(1);
    // the stored manifest says how the job ended, as the wait saw it
    JsonNode manifest =
        new ObjectMapper()
            .readTree(
                gcs.storage()
                    .get(BlobId.of(BUCKET, "out/job-52-output.manifest.json"))
                    .getContent());
    assertThat(manifest.at("/jobState/state").asText()).isEqualTo("Failed");
    assertThat(manifest.at("/jobState/reason").asText()).isEqualTo("BackoffLimitExceeded");
    assertThat(job("failed", "job-52").get()).isNull();
  }

  /**
   * A GCS server that refuses connections (the stored manifest cannot be read: exit 1, a retry may
   * help), and one that has no such bucket (the upload itself fails: exit 2, no retry fixes it).
   */
  @ParameterizedTest
  @CsvSource({
    "refusing, job-53, 1, 'Connection refused; nothing was uploaded or removed'",
    "no-bucket, job-60, 2, 'bucket no-such-bucket does not exist (--upload-to gs://no-such-bucket/out/); nothing was removed'"
  })
  void anUploadThatFailsDeletesNothing(String namespace, String name, int exitCode, String says)
      throws Exception {
    KubeJobs.running(api.admin(), namespace, name);
    Map<String, String> env = pod(namespace);
    String endpoint = gcs.endpoint();
    String bucket = "no-such-bucket";
    if (namespace.equals("refusing")) {
      try (ServerSocket socket = new ServerSocket(0)) {
        endpoint = "http://127.0.0.1:" + socket.getLocalPort();
      }
      bucket = BUCKET;
    }
    List<String> args =
        flow(
            name,
            "--upload-to",
            "gs://" + bucket + "/out/",
            "--gcs-endpoint",
            endpoint,
            "--remove",
            output.toString());

    CompletableFuture<AgentRun> run = start(env, args);
    KubeJobs.finish(api.admin(), namespace, name, KubeJobs.End.COMPLETE);
    AgentRun done = run.get(120, TimeUnit.SECONDS);

    assertThat(done.exitCode()).as(done.err()).isEqualTo(exitCode);
    assertThat(done.err()).contains(says);
    assertNothingStoredOrDeleted(namespace, name);
    assertThat(gcs.storage().get(BlobId.of(BUCKET, "out/" + name + "-output.zip"))).isNull();
    assertThat(output.resolve("events.root")).exists();
  }

  @Test
  void theWaitSeesTheJobCompleteAfterTheApiServerRestarted() throws Exception {
    KubeJobs.running(api.admin(), "restart", "job-54");
    Map<String, String> env = pod("restart");
    awaitWatchOfJobs(0);

    CompletableFuture<AgentRun> run = start(env, flow("job-54"));
    awaitWatchOfJobs(1);
    api.stopApiServer();
    Thread.sleep(3000);
    assertThat(run).isNotDone();
    api.startApiServer();
    KubeJobs.finish(api.admin(), "restart", "job-54", KubeJobs.End.COMPLETE);
    AgentRun done = run.get(120, TimeUnit.SECONDS);

    assertThat(done.exitCode()).as(done.err()).isZero();
    assertThat(shared.resolve("job-54-output.zip")).exists();
    assertThat(done.json().at("/waitedFor/state").asText()).isEqualTo("Complete");
    assertThat(job("restart", "job-54").get()).isNull();
  }

  @Test
  void aJobThatDoesNotExistExitsTwoNamingIt() throws Exception {
    AgentRun done = AgentRun.of(flow("job-55"), pod("missing"));

    assertThat(done.exitCode()).isEqualTo(2);
    assertThat(done.err())
        .contains("cleanup: job/job-55 in namespace missing does not exist: no Job to wait for");
    assertThat(shared).doesNotExist();
  }

  @Test
  void aJobThatDoesNotFinishInTimeExitsOneSayingItsLastStatus() throws Exception {
    KubeJobs.running(api.admin(), "slow", "job-56");

    AgentRun done = AgentRun.of(flow("job-56", "--wait-timeout", "2"), pod("slow"));

    assertThat(done.exitCode()).as(done.err()).isEqualTo(1);
    assertThat(done.err())
        .contains(
            "job/job-56 in namespace slow did not finish within 2 s (--wait-timeout); its last "
                + "status: active 1, succeeded 0, failed 0; nothing was uploaded or removed");
    assertNothingStoredOrDeleted("slow", "job-56");
  }

  @Test
  void aJobDeletedWhileWaitedForExitsOne() throws Exception {
    KubeJobs.running(api.admin(), "deleted", "job-57");
    Map<String, String> env = pod("deleted");
    awaitWatchOfJobs(0);

    CompletableFuture<AgentRun> run = start(env, flow("job-57"));
    awaitWatchOfJobs(1);
    job("deleted", "job-57").delete();
    AgentRun done = run.get(60, TimeUnit.SECONDS);

    assertThat(done.exitCode()).as(done.err()).isEqualTo(1);
    assertThat(done.err())
        .contains("job/job-57 in namespace deleted was deleted while the cleanup waited for it");
    assertThat(shared).doesNotExist();
  }

  @Test
  void aServiceAccountThatMayNotWatchJobsExitsTwoNamingTheRole() throws Exception {
    KubeJobs.running(api.admin(), "no-watch", "job-58");

    AgentRun done =
        AgentRun.of(
            flow("job-58"),
            pod("no-watch", allow("batch", "jobs", "get", "delete"), DELETE_CLAIMS));

    assertThat(done.exitCode()).isEqualTo(2);
    assertThat(done.err())
        .contains(
            "--wait-for-job: watch of job/job-58 in namespace no-watch was refused (HTTP 403",
            "needs a Role allowing get and watch on jobs (apiGroup batch)");
  }

  /**
   * A rerun after a run that stored the outputs and deleted the Job, but not the claim (its Role
   * did not allow it then): the Job is gone, as this cleanup was told to make it.
   */
  @Test
  void aRerunAfterTheJobWasDeletedByAnEarlierRunFinishesTheDeletes() throws Exception {
    KubeJobs.running(api.admin(), "rerun", "job-59");
    KubeJobs.finish(api.admin(), "rerun", "job-59", KubeJobs.End.COMPLETE);
    ServiceAccountLogin account = api.serviceAccount("rerun", "cleanup", WATCH_JOBS);
    Map<String, String> env = account.podEnvironment(account.mountAt(dir.resolve("sa")));
    List<String> args = flow("job-59", "--remove", output.toString());

    AgentRun first = AgentRun.of(args, env);
    assertThat(first.exitCode()).as(first.err()).isEqualTo(2);
    assertThat(job("rerun", "job-59").get()).isNull();

    account.allow(WATCH_JOBS, DELETE_CLAIMS);
    AgentRun rerun = AgentRun.of(args, env);

    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(rerun.json().at("/alreadyStored").asBoolean()).isTrue();
    assertThat(claim("rerun", "job-59-output").getMetadata().getDeletionTimestamp()).isNotNull();
  }
}
