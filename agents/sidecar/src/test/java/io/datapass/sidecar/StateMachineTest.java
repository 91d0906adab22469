package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StateMachineTest {
  private final List<Transition> reported = new ArrayList<>();
  private final StateMachine states =
      new StateMachine(
          "job-1",
          "0",
          "pod-a",
          List.of(reported::add),
          Clock.fixed(Instant.parse("2025-03-01T10:00:00.123456Z"), ZoneOffset.UTC));

  @Test
  void eachChangeIsOneTransitionNamingThePreviousState() {
    states.moveTo("INITIALIZING", "waiting");
    states.moveTo("STARTED", null);
    states.moveTo("STARTED", null);

    assertThat(reported)
        .containsExactly(
            new Transition(
                "job-1", "0", "pod-a", "INITIALIZING", null, "2025-03-01T10:00:00.123Z", "waiting"),
            new Transition(
                "job-1",
                "0",
                "pod-a",
                "STARTED",
                "INITIALIZING",
                "2025-03-01T10:00:00.123Z",
                null));
  }

  @Test
  void controlCharactersOfAPayloadChosenDetailAreEscapedForEveryReporter() {
    states.finish("FAILED", "upload of out/\u001b[2Jx\u0007\r\nINFO forged failed");

    assertThat(reported.get(0).detail())
        .isEqualTo("upload of out/\\u001b[2Jx\\u0007\\r\\nINFO forged failed");
  }

  @Test
  void thePayloadCannotClaimAStateOnlyTheSidecarKnows() {
    assertThat(StateMachine.isPayloadState("DONE")).isFalse();
    assertThat(StateMachine.isPayloadState("TERMINATING")).isFalse();
    assertThat(StateMachine.isPayloadState("ERROR")).isTrue(); // its own, not the final one
    assertThat(StateMachine.isPayloadState("KILLED")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"done", "Terminating", "unhealthy", "Started", "initializing"})
  void theSidecarsOwnStatesAreRefusedWhateverTheirCase(String value) {
    assertThat(StateMachine.isPayloadState(value)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "A B",
        "A\u0085B",
        "A\u2028B",
        "\u202EGNITTIF",
        "FIT\u200BTING",
        "A\u0007B",
        "A\rB",
        "STATE{x=\"1\"}",
        "ÉTAPE",
        "X123456789X123456789X123456789X123456789X123456789X123456789XXXXX"
      })
  void onlyAConservativeCharsetPasses(String value) {
    assertThat(StateMachine.isPayloadState(value)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "FITTING",
        "step-2",
        "v1.2:ok",
        "ERROR",
        "killed",
        "X123456789X123456789X123456789X123456789X123456789X123456789XXXX"
      })
  void namesOfLettersDigitsAndPunctuationPass(String value) {
    assertThat(StateMachine.isPayloadState(value)).isTrue();
  }

  @Test
  void aRefusedStateIsShownEscaped() {
    assertThat(StateMachine.escaped("A\u2028B\u202E\"\\\n"))
        .isEqualTo("A\\u2028B\\u202E\\u0022\\u005C\\u000A");
    assertThat(StateMachine.escaped("X".repeat(100)))
        .isEqualTo("X".repeat(64) + "... (100 characters)");
  }

  @Test
  void nothingIsReportedAfterTheFinalState() {
    states.moveTo("TERMINATING", null);
    assertThat(states.finish("ERROR", "the grace period ran out")).isTrue();

    assertThat(states.finish("DONE", "late")).isFalse();
    assertThat(states.moveTo("RUNNING", null)).isFalse();
    assertThat(reported).extracting(Transition::state).containsExactly("TERMINATING", "ERROR");
  }

  @Test
  void aFailingReporterDoesNotStopTheOthers() {
    List<Transition> second = new ArrayList<>();
    StateMachine machine =
        new StateMachine(
            "j",
            "0",
            "p",
            List.of(
                t -> {
                  throw new IllegalStateException("broken");
                },
                second::add),
            Clock.systemUTC());

    machine.moveTo("STARTED", null);

    assertThat(second).extracting(Transition::state).containsExactly("STARTED");
  }
}
