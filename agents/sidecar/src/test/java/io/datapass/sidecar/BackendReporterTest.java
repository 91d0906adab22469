package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.transfer.engine.RetryPolicy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend reporter against a JDK HTTP server on loopback that is up, down, or refusing for a
 * while.
 */
@Timeout(60)
class BackendReporterTest {
  private static final RetryPolicy FAST =
      new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(100), Duration.ofMillis(800));

  @TempDir Path dir;

  private static Transition transition(String state, String previous) {
    return new Transition("job-7", "0", "pod-x", state, previous, Instant.now().toString(), null);
  }

  private static void reportAll(BackendReporter reporter, String... states) {
    String previous = null;
    for (String state : states) {
      reporter.report(transition(state, previous));
      previous = state;
    }
  }

  @Test
  void transitionsArriveInOrderWithTheBearerToken() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "tok-9f8e7d6c5b\n");
    try (BackendReceiver backend = BackendReceiver.start()) {
      BackendReporter reporter = new BackendReporter(URI.create(backend.url()), token, 100, FAST);
      reportAll(reporter, "INITIALIZING", "STARTED", "RUNNING", "TERMINATING", "DONE");

      assertThat(reporter.flush(Instant.now().plusSeconds(10))).isTrue();
      reporter.close();

      assertThat(backend.states())
          .containsExactly("INITIALIZING", "STARTED", "RUNNING", "TERMINATING", "DONE");
      assertThat(backend.authorizations()).containsOnly("Bearer tok-9f8e7d6c5b");
    }
  }

  @Test
  void aBackendThatIsDownThenUpGetsEveryStateInOrder() throws Exception {
    try (BackendReceiver backend = BackendReceiver.down()) {
      BackendReporter reporter = new BackendReporter(URI.create(backend.url()), null, 100, FAST);
      long started = System.nanoTime();
      reportAll(reporter, "INITIALIZING", "STARTED", "RUNNING", "LOADING", "TERMINATING", "DONE");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("report never waits for the backend")
          .isLessThan(Duration.ofMillis(500));
      Thread.sleep(3000);

      backend.listen();

      assertThat(backend.awaitState("DONE", Duration.ofSeconds(10)))
          .containsExactly("INITIALIZING", "STARTED", "RUNNING", "LOADING", "TERMINATING", "DONE");
      assertThat(reporter.flush(Instant.now().plusSeconds(1))).isTrue();
      reporter.close();
    }
  }

  @Test
  void refusedPostsAreRetriedWithoutDuplicates() throws Exception {
    try (BackendReceiver backend = BackendReceiver.start()) {
      backend.refuse(4);
      BackendReporter reporter = new BackendReporter(URI.create(backend.url()), null, 100, FAST);
      reportAll(reporter, "INITIALIZING", "STARTED", "DONE");

      assertThat(reporter.flush(Instant.now().plusSeconds(20))).isTrue();
      reporter.close();

      assertThat(backend.states()).containsExactly("INITIALIZING", "STARTED", "DONE");
    }
  }

  @Test
  void aBackendThatNeverComesBackLosesTheFinalStateAtTheDeadlineAndSaysSo() throws Exception {
    try (BackendReceiver backend = BackendReceiver.down()) {
      BackendReporter reporter = new BackendReporter(URI.create(backend.url()), null, 100, FAST);
      reportAll(reporter, "TERMINATING", "DONE");
      long started = System.nanoTime();

      assertThat(reporter.flush(Instant.now().plusMillis(1500))).isFalse();

      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isBetween(Duration.ofMillis(1400), Duration.ofMillis(5000));
      reporter.close();
    }
  }

  @Test
  void aFullQueueDropsTheOldestPendingTransition() throws Exception {
    try (BackendReceiver backend = BackendReceiver.down()) {
      BackendReporter reporter = new BackendReporter(URI.create(backend.url()), null, 2, FAST);
      reportAll(reporter, "A", "B", "C", "D");
      Thread.sleep(
          300); // a POST of A in flight when it was dropped ends refused, before the backend is up

      backend.listen();

      assertThat(reporter.flush(Instant.now().plusSeconds(10))).isTrue();
      reporter.close();
      assertThat(backend.states()).containsExactly("C", "D");
    }
  }

  @Test
  void transitionsAreSentAsTheDocumentedJson() throws Exception {
    try (BackendReceiver backend = BackendReceiver.start()) {
      BackendReporter reporter = new BackendReporter(URI.create(backend.url()), null, 10, FAST);
      reporter.report(
          new Transition(
              "job-7",
              "2",
              "pod-x",
              "ERROR",
              "TERMINATING",
              "2025-03-01T10:00:00Z",
              "payload exited with code 3"));

      assertThat(reporter.flush(Instant.now().plusSeconds(10))).isTrue();
      reporter.close();

      assertThat(backend.posts().get(0).toString())
          .isEqualTo(
              "{\"job\":\"job-7\",\"task\":\"2\",\"pod\":\"pod-x\","
                  + "\"state\":\"ERROR\",\"previous\":\"TERMINATING\",\"timestamp\":\"2025-03-01T10:00:00Z\","
                  + "\"detail\":\"payload exited with code 3\"}");
    }
  }
}
