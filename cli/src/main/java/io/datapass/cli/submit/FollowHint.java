package io.datapass.cli.submit;

import java.io.PrintStream;

/** What {@code submit} prints once the submission is in: how to follow and cancel it. */
final class FollowHint {
  private FollowHint() {}

  static void print(PrintStream out, String name, String namespace, RenderedJob job) {
    int tasks = job.tasks();
    String in = " -n " + namespace;
    out.println(
        "Submitted "
            + name
            + " to namespace "
            + namespace
            + ": "
            + tasks
            + (tasks == 1 ? " task." : " tasks, " + job.atOnce() + "."));
    out.println("Follow it:");
    out.println("  datapass status " + name + in + "        # a table per task");
    out.println(
        "  datapass watch " + name + in + "         # until it ends: exit 0 succeeded, 1 failed");
    out.println("  datapass logs " + name + in + " --task 0");
    out.println("Cancel it (everything of the submission):");
    out.println("  datapass cancel " + name + in);
  }
}
