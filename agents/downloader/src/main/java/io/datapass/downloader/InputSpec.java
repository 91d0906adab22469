package io.datapass.downloader;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.datapass.common.Secrets;
import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.Locations;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

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
      throw new FieldException("source", "is empty");
    }
    URI uri = parseSource(source.strip());
    Checksum expected = checksum == null ? null : parseChecksum(checksum.strip());
    boolean isUnpack = Boolean.TRUE.equals(unpack);
    if (expected != null && Locations.isDirectory(uri)) {
      throw new FieldException(
          "checksum", "cannot apply to a directory source " + Locations.withoutSecrets(uri));
    }
    if (isUnpack && Locations.isDirectory(uri)) {
      throw new FieldException(
          "unpack", "needs an archive, not a directory source " + Locations.withoutSecrets(uri));
    }
    return new InputSpec(
        uri, target == null || target.isBlank() ? null : target.strip(), expected, isUnpack);
  }

  /** The agents' own credentials (service account, mounted Secrets) and the kernel's files. */
  private static final List<Path> NEVER_INPUTS =
      List.of(
          Path.of("/var/run/secrets"), Path.of("/run/secrets"), Path.of("/proc"), Path.of("/sys"));

  private static URI parseSource(String source) {
    if (!source.contains("://") && source.contains("?")) {
      // "h.example.org/x?access_token=..." lacks its scheme and is read as a path: still masked
      Secrets.hideInText("https://" + source.strip());
    }
    URI uri;
    try {
      uri = Locations.parse(source);
    } catch (IllegalArgumentException e) {
      throw new FieldException("source", e.getMessage(), e);
    }
    Secrets.hideIn(uri); // before any message below can quote it
    if (uri.getRawUserInfo() != null
        && uri.getScheme().toLowerCase(Locale.ROOT).startsWith("http")) {
      throw new FieldException(
          "source",
          "credentials in the URL's user info are never sent: give them in a file with"
              + " --http-token-file or --http-basic-auth-file");
    }
    if ("file".equals(uri.getScheme())) {
      try {
        Path.of(uri); // "file:a.txt" and "file://host/a" are URIs, but of no file here
      } catch (IllegalArgumentException e) {
        throw new FieldException(
            "source",
            "'" + source + "' names no local file: write file:///abs/path or a plain path",
            e);
      }
      refuseAgentsOwnFiles(Path.of(uri));
    }
    return uri;
  }

  private static void refuseAgentsOwnFiles(Path file) {
    Path real = file.normalize();
    try {
      real = file.toRealPath(); // /var/run is a link to /run
    } catch (IOException missing) {
      // refused by name, or not found later
    }
    for (Path never : NEVER_INPUTS) {
      if (file.normalize().startsWith(never) || real.startsWith(never)) {
        throw new FieldException(
            "source",
            file
                + " is under "
                + never
                + ": the agents' own credentials and the kernel's files are never inputs");
      }
    }
  }

  private static Checksum parseChecksum(String spec) {
    try {
      return Checksum.parse(spec);
    } catch (IllegalArgumentException e) {
      ChecksumAlgorithm algorithm = knownAlgorithm(spec);
      if (algorithm == null) {
        throw new FieldException("checksum", e.getMessage(), e);
      }
      // A known algorithm, so the digits are wrong: Checksum's own text ("a adler32 value has")
      // does not read well after a field name.
      String hex = spec.substring(spec.indexOf(':') + 1);
      throw new FieldException(
          "checksum",
          article(algorithm.label())
              + " checksum has "
              + algorithm.hexLength()
              + " hex digits, got '"
              + hex
              + "'",
          e);
    }
  }

  private static ChecksumAlgorithm knownAlgorithm(String spec) {
    int colon = spec.indexOf(':');
    try {
      return colon < 0 ? null : ChecksumAlgorithm.fromLabel(spec.substring(0, colon));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** "an adler32", "an md5", "an sha256", "a crc32c": as the names are spoken. */
  private static String article(String label) {
    return ("aefhilmnorsx".indexOf(label.charAt(0)) >= 0 ? "an " : "a ") + label;
  }
}
