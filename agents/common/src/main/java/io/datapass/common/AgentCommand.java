package io.datapass.common;

import java.io.PrintStream;
import java.util.Map;

/**
 * One agent role: runs with its arguments, standard streams and environment given, and returns an
 * {@link ExitCode}. Nothing in a role calls {@code System.exit}, so tests and the image's role
 * dispatcher call it directly.
 */
@FunctionalInterface
public interface AgentCommand {
  int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env);
}
