package io.datapass.cleanup;

import io.datapass.common.ConfigException;
import io.datapass.common.Secrets;
import io.datapass.kube.KubernetesAccess;
import io.datapass.kube.KubernetesConfigException;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a batch Job of the pod's namespace to finish (its {@code Complete} or {@code Failed}
 * condition True) through a watch of that one Job, as the pod's service account (a Role allowing
 * {@code get} and {@code watch} on {@code jobs}). Whenever a watch ends (the API server ends them
 * after a while, restarts, or answers 410 Gone for a version it no longer keeps) the Job is read
 * again and a new watch starts from that read, so no change is missed. fabric8's own reconnecting
 * is off for this: it would resume without the read.
 */
final class JobWaiter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobWaiter.class);

  /** A watch that ended sooner than this after it opened is followed by a pause. */
  private static final long SHORT_WATCH_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static final long FIRST_PAUSE_MILLIS = 1_000;
  private static final long LONGEST_PAUSE_MILLIS = 30_000;

  private final KubernetesClient client;

  private JobWaiter(KubernetesClient client) {
    this.client = client;
  }

  /** The pod's own access; a usage error when the agent does not run in a pod that has it. */
  static JobWaiter inCluster(Map<String, String> env, int retries) throws ConfigException {
    KubernetesAccess.Retries policy = KubernetesAccess.Retries.standard(retries);
    try (KubernetesClient pod = KubernetesAccess.inCluster(env, policy, Secrets::hide)) {
      return new JobWaiter(
          KubernetesAccess.client(
              new ConfigBuilder(pod.getConfiguration()).withWatchReconnectLimit(0).build(),
              policy));
    } catch (KubernetesConfigException e) {
      throw new ConfigException(
          "--wait-for-job needs the pod's service account: " + e.getMessage());
    }
  }

  /**
   * With {@code --wait-for-job}, waits until that Job has ended and returns how; null without it.
   * The outputs of a Failed Job are stored too: its log and error files are what tells why. A Job
   * gone before the wait is a usage error, unless this cleanup is to delete it and the outputs'
   * manifest is stored: an earlier run stored the outputs and deleted it, and this one finishes.
   */
  static JobOutcome awaitIfAsked(
      CleanupOptions options, Map<String, String> env, Destination destination)
      throws ConfigException, IOException {
    JobWait wait = options.waitFor();
    if (wait == null) {
      return null;
    }
    try (JobWaiter waiter = JobWaiter.inCluster(env, options.retries())) {
      JobOutcome outcome = waiter.await(wait);
      log.info(
          "job/{} ended {} ({}{}); storing its outputs",
          wait.job(),
          outcome.state(),
          outcome.reason() == null ? "no reason given" : outcome.reason(),
          outcome.message() == null ? "" : ": " + outcome.message());
      return outcome;
    } catch (MissingJobException e) {
      if (options.delete().contains(new DeleteTarget(DeleteTarget.Kind.JOB, wait.job()))
          && destination.storedManifest(OutputManifest.fileName(options.job())).isPresent()) {
        log.info(
            "{}, but its outputs' manifest is stored and it is among the Jobs to delete: an earlier "
                + "run stored them and deleted it",
            e.getMessage());
        return null;
      }
      throw e;
    }
  }

  /**
   * Returns once the Job has finished, how it ended. A Job that is not there is a usage error; one
   * deleted (or deleted and created again) while waiting, or not finished in time, fails the work.
   */
  JobOutcome await(JobWait wait) throws ConfigException, IOException {
    Deadline deadline = new Deadline(wait.timeout());
    Resource<Job> resource = client.batch().v1().jobs().withName(wait.job());
    JobStatusLog status = new JobStatusLog("job/" + wait.job(), client.getNamespace());
    Job job = firstRead(resource, status);
    String uid = job.getMetadata().getUid();
    long pause = FIRST_PAUSE_MILLIS;
    boolean watched = false;
    while (true) {
      status.observe(job);
      Optional<JobOutcome> outcome = JobOutcome.of(job);
      if (outcome.isPresent()) {
        return outcome.get();
      }
      deadline.check(status);
      long opened = System.nanoTime();
      try (JobWatch watch = new JobWatch(resource, job.getMetadata().getResourceVersion())) {
        watched = true;
        outcome = watch.untilFinished(status, deadline);
        if (outcome.isPresent()) {
          return outcome.get();
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() == 403 && !watched) {
          throw new ConfigException(status.refused("watch", e));
        }
        log.warn("{}: cannot watch it ({})", status.where(), ObjectDeleter.reason(e));
      }
      if (System.nanoTime() - opened < SHORT_WATCH_NANOS) {
        deadline.sleep(pause, status); // a watch that keeps ending at once: not a tight loop
        pause = Math.min(2 * pause, LONGEST_PAUSE_MILLIS);
      } else {
        pause = FIRST_PAUSE_MILLIS;
      }
      job = readAgain(resource, status, deadline);
      if (job == null || !uid.equals(job.getMetadata().getUid())) {
        throw new IOException(
            status.where()
                + (job == null ? " was deleted" : " was deleted and created again")
                + " while the cleanup waited for it; nothing was uploaded or removed");
      }
    }
  }

  private static Job firstRead(Resource<Job> resource, JobStatusLog status)
      throws ConfigException, IOException {
    Job job;
    try {
      job = resource.get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new ConfigException(status.refused("get", e));
      }
      throw new IOException(
          "reading " + status.where() + ": " + ObjectDeleter.reason(e) + "; nothing was uploaded",
          e);
    }
    if (job == null) {
      throw new MissingJobException(status.where() + " does not exist: no Job to wait for");
    }
    return job;
  }

  /**
   * The Job, or null when it is gone, tried until an answer comes or the deadline: the API server
   * may be restarting, and refuses requests until its authorization caches fill after it.
   */
  private static Job readAgain(Resource<Job> resource, JobStatusLog status, Deadline deadline)
      throws IOException {
    long pause = FIRST_PAUSE_MILLIS;
    while (true) {
      try {
        return resource.get();
      } catch (KubernetesClientException e) {
        log.warn(
            "{}: cannot read it ({}); trying again in {} s",
            status.where(),
            ObjectDeleter.reason(e),
            pause / 1000);
        deadline.sleep(pause, status);
        pause = Math.min(2 * pause, LONGEST_PAUSE_MILLIS);
      }
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** The Job was not there when the wait began. */
  static final class MissingJobException extends ConfigException {
    private static final long serialVersionUID = 1L;

    MissingJobException(String message) {
      super(message);
    }
  }
}
