package io.datapass.downloader;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of the JSON summary: a fetched (and maybe unpacked) input, or why it failed.
 *
 * @param unsafe the input failed as an unsafe archive, which no rerun unpacks (not printed)
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
    @JsonIgnore boolean unsafe) {

  static InputReport failed(String field, String source, String error) {
    return new InputReport(field, source, null, null, null, null, null, null, error, false);
  }

  static InputReport unsafeArchive(String field, String source, String error) {
    return new InputReport(field, source, null, null, null, null, null, null, error, true);
  }

  boolean succeeded() {
    return error == null;
  }
}
