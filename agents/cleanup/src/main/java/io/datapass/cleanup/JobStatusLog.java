package io.datapass.cleanup;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each change of the waited-for Job's status it is shown, once; words the waiter's errors. */
final class JobStatusLog {
  private static final Logger log = LoggerFactory.getLogger(JobStatusLog.class);

  private final String where;
  private String last;

  JobStatusLog(String job, String namespace) {
    this.where = job + " in namespace " + namespace;
  }

  /** {@code job/NAME in namespace NS}. */
  String where() {
    return where;
  }

  /** The status last logged, or null before the first. */
  String last() {
    return last;
  }

  void observe(Job job) {
    String now = JobOutcome.describe(job);
    if (!now.equals(last)) {
      log.info("{}: {}", where, now);
      last = now;
    }
  }

  /** Says that RBAC refused {@code verb} on the Job, and which Role the pod needs. */
  String refused(String verb, KubernetesClientException e) {
    return "--wait-for-job: "
        + verb
        + " of "
        + where
        + " was refused ("
        + ObjectDeleter.reason(e)
        + "): the pod's service account needs a Role allowing get and watch on jobs (apiGroup batch)";
  }
}
