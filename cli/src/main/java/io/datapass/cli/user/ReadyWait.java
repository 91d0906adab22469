package io.datapass.cli.user;

import io.datapass.cli.Cluster;
import io.datapass.cli.Invocation;
import io.datapass.common.ExitCode;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Waits, bounded, for a user's new pod to be ready (its readiness probe passed: the tool listens),
 * then says how to reach it; a pod that ends or never gets ready is exit 1 and stays to be read.
 */
final class ReadyWait {
  private static final Duration POLL = Duration.ofSeconds(1);

  private final Cluster target;
  private final UserPod.Identity who;
  private final Invocation invocation;

  ReadyWait(Cluster target, UserPod.Identity who, Invocation invocation) {
    this.target = target;
    this.who = who;
    this.invocation = invocation;
  }

  int await(long timeoutSeconds) throws InterruptedException {
    String namespace = target.namespace();
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    UserPod pod = UserPod.read(target.client(), namespace, who.name());
    while (!pod.ready()) {
      if (pod.ended() || System.nanoTime() - deadline > 0) {
        String when = pod.ended() ? "ended" : "not ready after " + timeoutSeconds + " s";
        invocation
            .err()
            .println(
                "datapass user start: "
                    + who.name()
                    + " "
                    + when
                    + ": "
                    + pod.state()
                    + "; it stays for you to look at (kubectl -n "
                    + namespace
                    + " describe pod "
                    + who.name()
                    + "), then: "
                    + who.command("stop", namespace));
        return ExitCode.WORK_FAILED;
      }
      Thread.sleep(POLL.toMillis());
      pod = UserPod.read(target.client(), namespace, who.name());
    }
    PrintStream out = invocation.out();
    out.println(
        "Started "
            + who.name()
            + " for "
            + who.user()
            + " in namespace "
            + namespace
            + ": "
            + pod.state()
            + ", "
            + pod.owner()
            + ".");
    ServiceAddress.print(out, pod.service(), namespace);
    out.println("Follow and stop it:");
    out.println("  " + who.command("status", namespace));
    out.println("  " + who.command("stop", namespace));
    return ExitCode.OK;
  }
}
