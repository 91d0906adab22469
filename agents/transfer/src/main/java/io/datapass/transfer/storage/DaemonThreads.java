package io.datapass.transfer.storage;

import java.util.concurrent.ThreadFactory;

/**
 * Threads of the engine's own pools: named for thread dumps, and daemons, so they never hold up the
 * JVM's exit.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  public static ThreadFactory named(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
