package io.datapass.cleanup;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One watch of the Job from a version: its events in a queue the waiting thread takes. */
final class JobWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobWatch.class);
  private static final Object ENDED = new Object();
  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final Watch watch;

  JobWatch(Resource<Job> resource, String version) {
    watch =
        resource.watch(
            new ListOptionsBuilder().withResourceVersion(version).build(),
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Job job) {
                switch (action) {
                  case ADDED, MODIFIED -> events.add(job);
                  case DELETED -> events.add(Action.DELETED);
                  case ERROR -> events.add(ENDED);
                  default -> {} // bookmarks: nothing changed
                }
              }

              @Override
              public void onClose(WatcherException cause) {
                log.info("the watch ended ({}); reading the Job again", why(cause));
                events.add(ENDED);
              }

              @Override
              public void onClose() {
                events.add(ENDED);
              }
            });
  }

  /** fabric8 words a closed connection as "Exhausted reconnects": its reconnecting is off. */
  private static String why(WatcherException cause) {
    String message = String.valueOf(cause.getMessage());
    return cause.isHttpGone()
        ? "HTTP 410 Gone: " + message
        : message.equals("Exhausted reconnects") ? "its connection closed" : message;
  }

  /** The outcome once the Job finishes; empty when the watch ends first. */
  Optional<JobOutcome> untilFinished(JobStatusLog status, Deadline deadline) throws IOException {
    while (true) {
      Object event;
      try {
        event = events.poll(deadline.remainingMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for " + status.where());
      }
      if (event == null) {
        deadline.check(status);
      } else if (event == ENDED) {
        return Optional.empty();
      } else if (event == Watcher.Action.DELETED) {
        throw new IOException(
            status.where()
                + " was deleted while the cleanup waited for it; nothing was uploaded or removed");
      } else if (event instanceof Job job) {
        status.observe(job);
        Optional<JobOutcome> outcome = JobOutcome.of(job);
        if (outcome.isPresent()) {
          return outcome;
        }
      }
    }
  }

  @Override
  public void close() {
    watch.close();
  }
}
