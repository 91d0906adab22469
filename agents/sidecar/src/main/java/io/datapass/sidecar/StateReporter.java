package io.datapass.sidecar;

import java.time.Instant;

/**
 * Where the pod's state transitions go: the log, an HTTP backend, and (later) the pod's own
 * annotations and events. {@link #report} is called in order, from the state machine, and must not
 * block it: a slow or unreachable peer is the reporter's own business (queue, retry, give up at
 * {@link #flush}).
 */
public interface StateReporter {
  /** Takes one transition; never blocks on the peer. */
  void report(Transition transition);

  /**
   * Delivers what is still pending, waiting until {@code deadline} at most.
   *
   * @return true when every transition taken was delivered (or deliberately dropped with a log
   *     line); false when some, the final one in particular, may never have arrived: the reporter
   *     has logged which
   */
  default boolean flush(Instant deadline) throws InterruptedException {
    return true;
  }

  /** Stops the reporter's threads; what is still pending is dropped (flush first). */
  default void close() {}
}
