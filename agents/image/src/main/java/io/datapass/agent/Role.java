package io.datapass.agent;

import java.io.PrintStream;
import java.util.Map;

/** A role of the agent image: its name (the entrypoint's first argument), a line of help, and its run method. */
record Role(String name, String summary, Entry entry) {

  /** A role's {@code run(args, out, err, env)}: the exit code, 0 done, 1 the work failed, 2 usage error. */
  @FunctionalInterface
  interface Entry {
    int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env);
  }
}
