package io.datapass.common;

/**
 * The exit codes of every agent role. Jobs retry 1 and, through the chart's {@code
 * podFailurePolicy}, fail at once on 2: a bad flag or manifest does not get better by running it
 * again.
 */
public final class ExitCode {
  /** The work is done and verified. */
  public static final int OK = 0;

  /**
   * The work failed; a rerun may succeed (transient failure, missing object, checksum mismatch).
   */
  public static final int WORK_FAILED = 1;

  /** Usage or configuration error: never retried. */
  public static final int USAGE = 2;

  private ExitCode() {}
}
