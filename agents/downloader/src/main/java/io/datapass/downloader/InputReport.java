package io.datapass.downloader;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.datapass.transfer.archive.UnsafeArchiveException;
import io.datapass.transfer.storage.MissingBucketException;
import java.util.Optional;

/**
 * One line of the JSON summary: a fetched (and maybe unpacked) input, or why it failed.
 *
 * @param rerunCannotHelp the input failed in a way no rerun mends, an unsafe archive or a bucket
 *     that does not exist (not printed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record InputReport(
    String field,
    String source,
    String target,
    Long bytes,
    String checksum,
    Double seconds,
    Long resumedFrom,
    Integer unpackedFiles,
    String error,
    @JsonIgnore boolean rerunCannotHelp) {

  /**
   * A failure: one no rerun mends when it is an unsafe archive or a bucket that does not exist
   * (then said with the input's field), else the work failing.
   */
  static InputReport failed(String field, String source, Throwable failure) {
    Optional<MissingBucketException> noBucket = MissingBucketException.in(failure);
    if (noBucket.isPresent()) {
      return refused(field, source, noBucket.get().describe("source", source));
    }
    return failure instanceof UnsafeArchiveException
        ? refused(field, source, failure.getMessage())
        : new InputReport(
            field, source, null, null, null, null, null, null, failure.getMessage(), false);
  }

  /** A failure no rerun mends. */
  static InputReport refused(String field, String source, String error) {
    return new InputReport(field, source, null, null, null, null, null, null, error, true);
  }

  boolean succeeded() {
    return error == null;
  }
}
