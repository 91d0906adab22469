package io.datapass.downloader;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/** The JSON summary printed on stdout. */
record DownloadReport(
    String status, int inputs, int failed, long bytes, double seconds, List<InputReport> files) {

  static DownloadReport of(List<InputReport> files, double seconds) {
    int failed = (int) files.stream().filter(f -> !f.succeeded()).count();
    long bytes = files.stream().filter(InputReport::succeeded).mapToLong(InputReport::bytes).sum();
    return new DownloadReport(
        failed == 0 ? "ok" : "failed",
        files.size(),
        failed,
        bytes,
        Math.round(seconds * 100) / 100.0,
        files);
  }

  boolean succeeded() {
    return failed == 0;
  }

  /**
   * True when an input failed in a way no rerun mends: an unsafe archive, a bucket that does not
   * exist.
   */
  @JsonIgnore
  boolean rerunCannotHelp() {
    return files.stream().anyMatch(InputReport::rerunCannotHelp);
  }
}
