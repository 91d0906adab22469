package io.datapass.cli.follow;

import java.time.Instant;

/**
 * One task (an index of the Job) as {@code datapass status} shows it: its latest pod's state.
 *
 * @param state the sidecar's state (DONE, RUNNING, ...), else the pod's phase, else "Waiting" (no
 *     pod yet) or the Job's word for the index (Succeeded, Failed)
 * @param attempts pods the task has had
 * @param lastTransition when the state was entered, or null
 * @param bytesOut outputs stored so far, or null when the sidecar did not say
 * @param pod the latest pod's name, or null
 * @param detail why, for the last transition (may be null)
 */
public record TaskStatus(
    int index,
    String state,
    int attempts,
    Instant lastTransition,
    Long bytesOut,
    String pod,
    String detail) {}
