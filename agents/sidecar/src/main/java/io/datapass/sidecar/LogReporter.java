package io.datapass.sidecar;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every transition as one log line on stderr, for {@code kubectl logs}. */
final class LogReporter implements StateReporter {
  private static final Logger log = LoggerFactory.getLogger("state");

  @Override
  public void report(Transition transition) {
    if (Transition.ERROR.equals(transition.state())
        || Transition.KILLED.equals(transition.state())) {
      log.warn("{}", transition.describe());
    } else {
      log.info("{}", transition.describe());
    }
  }
}
