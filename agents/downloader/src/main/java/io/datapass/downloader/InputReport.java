package io.datapass.downloader;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One line of the JSON summary: a fetched (and maybe unpacked) input, or why it failed. */
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
    String error) {

  static InputReport failed(String field, String source, String error) {
    return new InputReport(field, source, null, null, null, null, null, null, error);
  }

  boolean succeeded() {
    return error == null;
  }
}
