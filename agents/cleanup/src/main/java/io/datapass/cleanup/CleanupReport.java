package io.datapass.cleanup;

import java.util.List;

/**
 * What the agent did, printed as JSON on stdout; its {@code objects} are also uploaded as
 * {@code <job>-output.manifest.json}.
 *
 * @param objects the stored objects, each verified by the storage's checksum
 * @param skipped output entries left out (links, special files)
 */
record CleanupReport(String status, String job, String mode, int files, long bytes, List<StoredObject> objects,
    List<String> skipped, List<String> removed, double seconds) {

  /** One stored object: its location (without query, which may carry credentials), size and checksum. */
  record StoredObject(String target, String source, long bytes, String checksum) {}
}
