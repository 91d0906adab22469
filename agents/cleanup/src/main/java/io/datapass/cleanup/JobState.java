package io.datapass.cleanup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How the job whose outputs these are ended, as the manifest records it: {@code state} such as
 * {@code Complete} or {@code Failed}, and the reason when one is known.
 */
@JsonPropertyOrder({"state", "reason"})
@JsonInclude(JsonInclude.Include.NON_NULL)
record JobState(String state, String reason) {

  /** From {@code --job-state}: the state alone, or none when the flag is not given. */
  static JobState fromFlag(String state) {
    return state == null ? null : new JobState(state, null);
  }
}
