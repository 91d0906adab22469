package io.datapass.cleanup;

import io.datapass.common.ConfigException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code --wait-for-job NAME [--wait-timeout SECONDS]}: the batch Job of the pod's namespace whose
 * end the cleanup waits for before it uploads anything.
 *
 * @param timeout how long to wait at most; null waits as long as the Job runs
 */
record JobWait(String job, Duration timeout) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  /** From the flags' values; none when {@code job} is null. */
  static JobWait parse(String job, Integer timeoutSeconds) throws ConfigException {
    if (job == null) {
      if (timeoutSeconds != null) {
        throw new ConfigException("--wait-timeout needs --wait-for-job");
      }
      return null;
    }
    if (!NAME.matcher(job.strip()).matches()) {
      throw new ConfigException("--wait-for-job: '" + job + "' is not a Kubernetes Job name");
    }
    return new JobWait(
        job.strip(), timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds));
  }

  @Override
  public String toString() {
    return "job/"
        + job
        + (timeout == null ? "" : " (at most " + timeout.toSeconds() + " s, --wait-timeout)");
  }
}
