package io.datapass.downloader;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.storage.Locations;
import java.net.URI;

/**
 * One manifest input. Validated as it is read, so an error names the field.
 *
 * @param source where to read: {@code gs://}, {@code http(s)://}, {@code file:} or a path; a
 *     trailing {@code /} means every object below it
 * @param target path under the input directory; default the source's file name, or "." when
 *     unpacking
 * @param checksum expected {@code algorithm:hex}, or null
 * @param unpack extract the (zip, tar, tar.gz, tar.bz2) archive under {@code target} instead of
 *     keeping it
 */
record InputSpec(URI source, String target, Checksum checksum, boolean unpack) {

  @JsonCreator
  static InputSpec of(
      @JsonProperty(value = "source", required = true) String source,
      @JsonProperty("target") String target,
      @JsonProperty("checksum") String checksum,
      @JsonProperty("unpack") Boolean unpack) {
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("'source' is empty");
    }
    URI uri;
    try {
      uri = Locations.parse(source.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'source' " + e.getMessage(), e);
    }
    Checksum expected;
    try {
      expected = checksum == null ? null : Checksum.parse(checksum);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'checksum' " + e.getMessage(), e);
    }
    boolean isUnpack = Boolean.TRUE.equals(unpack);
    if (expected != null && Locations.isDirectory(uri)) {
      throw new IllegalArgumentException("'checksum' cannot apply to a directory source " + source);
    }
    if (isUnpack && Locations.isDirectory(uri)) {
      throw new IllegalArgumentException(
          "'unpack' needs an archive, not a directory source " + source);
    }
    return new InputSpec(
        uri, target == null || target.isBlank() ? null : target.strip(), expected, isUnpack);
  }
}
