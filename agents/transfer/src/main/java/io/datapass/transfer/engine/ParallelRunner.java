package io.datapass.transfer.engine;

import io.datapass.transfer.storage.DaemonThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent jobs with bounded parallelism; every job runs, and each outcome is kept in
 * order.
 */
public final class ParallelRunner {

  /** A job's value or its failure. */
  public record Outcome<T>(T value, Exception failure) {
    public boolean succeeded() {
      return failure == null;
    }
  }

  private ParallelRunner() {}

  public static <T> List<Outcome<T>> runAll(List<? extends Callable<T>> jobs, int parallel)
      throws InterruptedException {
    if (parallel < 1) {
      throw new IllegalArgumentException("parallel must be >= 1, got " + parallel);
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(parallel, Math.max(jobs.size(), 1)), DaemonThreads.named("transfer"));
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> job : jobs) {
        futures.add(pool.submit(job));
      }
      List<Outcome<T>> outcomes = new ArrayList<>();
      for (Future<T> future : futures) {
        outcomes.add(outcomeOf(future));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> Outcome<T> outcomeOf(Future<T> future) throws InterruptedException {
    try {
      return new Outcome<>(future.get(), null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      return new Outcome<>(null, (Exception) cause);
    }
  }
}
