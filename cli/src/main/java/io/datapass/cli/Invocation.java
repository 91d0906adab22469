package io.datapass.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * What one run of the command is given: its standard streams, its environment and the time (tests
 * pass their own instead of the process's).
 */
public record Invocation(PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
  public Invocation(PrintStream out, PrintStream err, Map<String, String> env) {
    this(out, err, env, Clock.systemUTC());
  }

  /** The environment variable's value, or null when it is unset or blank. */
  public String env(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
