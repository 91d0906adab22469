package io.datapass.cleanup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What the agent did, printed as JSON on stdout.
 *
 * @param objects the stored objects, each verified by the storage's checksum
 * @param alreadyStored true when an earlier run of the job had stored these outputs, so this one
 *     did not upload
 * @param skipped output entries left out (links, special files)
 * @param waitedFor how the Job {@code --wait-for-job} named ended; absent without it
 * @param warning what the run stored but should not go unnoticed (no output file); absent when none
 */
@JsonPropertyOrder({
  "status",
  "job",
  "mode",
  "files",
  "bytes",
  "objects",
  "alreadyStored",
  "skipped",
  "removed",
  "waitedFor",
  "warning",
  "seconds"
})
record CleanupReport(
    String status,
    String job,
    String mode,
    int files,
    long bytes,
    List<StoredObject> objects,
    boolean alreadyStored,
    List<String> skipped,
    List<String> removed,
    @JsonInclude(JsonInclude.Include.NON_NULL) JobOutcome waitedFor,
    @JsonInclude(JsonInclude.Include.NON_NULL) String warning,
    double seconds) {

  /**
   * One stored object: its location (without query, which may carry credentials), size and
   * checksum.
   */
  @JsonPropertyOrder({"target", "source", "bytes", "checksum"})
  record StoredObject(String target, String source, long bytes, String checksum) {}
}
