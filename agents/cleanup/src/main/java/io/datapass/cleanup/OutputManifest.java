package io.datapass.cleanup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.cleanup.CleanupReport.StoredObject;
import io.datapass.cleanup.OutputTree.OutputFile;
import io.datapass.transfer.checksum.Checksum;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code <job>-output.manifest.json}, uploaded after the outputs: how the job ended (when known),
 * every stored object with its size and the storage's checksum, and every output file with its size
 * and sha256. The same outputs give the same bytes (keys in this order, no times), so a rerun can
 * tell its own outputs from another run's.
 *
 * @param jobState how the job ended; null (left out) when the cleanup was not told
 * @param files the output files, each with its sha256 (manifests of earlier versions: crc32c, or in
 *     tree mode its object's checksum)
 */
@JsonPropertyOrder({"job", "jobState", "mode", "objects", "files", "skipped"})
record OutputManifest(
    String job,
    @JsonInclude(JsonInclude.Include.NON_NULL) JobState jobState,
    String mode,
    List<StoredObject> objects,
    List<FileEntry> files,
    List<String> skipped) {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  OutputManifest {
    objects = objects == null ? List.of() : objects;
    files = files == null ? List.of() : files;
    skipped = skipped == null ? List.of() : skipped;
  }

  @JsonPropertyOrder({"name", "bytes", "checksum"})
  record FileEntry(String name, long bytes, String checksum) {}

  static String fileName(String job) {
    return job + "-output.manifest.json";
  }

  String toJson() throws IOException {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
  }

  static OutputManifest parse(byte[] json) throws IOException {
    return JSON.readValue(json, OutputManifest.class);
  }

  long bytes() {
    return files.stream().mapToLong(FileEntry::bytes).sum();
  }

  /**
   * Empty when every one of {@code outputs} is listed here with its size and checksum, and in tree
   * mode its object with the checksum of its bytes too (what is left of the outputs this manifest
   * was made of, after a removal); else what differs, for the message.
   */
  Optional<String> firstUnlisted(List<OutputFile> outputs) throws IOException {
    Map<String, FileEntry> listed =
        files.stream().collect(Collectors.toMap(FileEntry::name, Function.identity()));
    Map<String, StoredObject> objectOf =
        objects.stream()
            .collect(Collectors.toMap(StoredObject::source, Function.identity(), (a, b) -> a));
    for (OutputFile output : outputs) {
      FileEntry entry = listed.get(output.name());
      if (entry == null) {
        return Optional.of("it does not list " + output.name());
      }
      if (entry.bytes() != output.bytes()) {
        return Optional.of(
            output.name() + " has " + output.bytes() + " bytes, " + entry.bytes() + " in it");
      }
      Optional<String> differs = differs(output, entry.checksum(), "");
      if (differs.isEmpty() && mode.equals(CleanupOptions.Mode.TREE.label())) {
        StoredObject object = objectOf.get(output.name());
        differs =
            object == null
                ? Optional.of("it lists no object of " + output.name())
                : differs(output, object.checksum(), " for its object");
      }
      if (differs.isPresent()) {
        return differs;
      }
    }
    return Optional.empty();
  }

  /** Empty when {@code output} has the checksum {@code listed}; else what differs. */
  private static Optional<String> differs(OutputFile output, String listed, String which)
      throws IOException {
    Checksum stored;
    try {
      stored = Checksum.parse(listed);
    } catch (IllegalArgumentException e) {
      return Optional.of(
          output.name() + " has no usable checksum" + which + " in it: " + e.getMessage());
    }
    Checksum local = stored.algorithm().of(output.path());
    return local.equals(stored)
        ? Optional.empty()
        : Optional.of(output.name() + " is " + local + ", " + stored + which + " in it");
  }

  /**
   * Empty when this manifest lists every object a run of {@code job} stores under {@code base}: its
   * zip, or one object per file listed. A manifest that lists fewer (none, say) must not pass for
   * stored outputs: the cleanup would remove outputs that are nowhere else.
   */
  Optional<String> firstMissingObject(String base, String job) {
    if (!job.equals(this.job)) {
      return Optional.of("it is the manifest of job '" + this.job + "'");
    }
    Map<String, StoredObject> byTarget =
        objects.stream()
            .collect(Collectors.toMap(StoredObject::target, Function.identity(), (a, b) -> a));
    if (mode.equals(CleanupOptions.Mode.ZIP.label())) {
      String zip = base + job + "-output.zip";
      return byTarget.containsKey(zip) ? Optional.empty() : Optional.of("it does not list " + zip);
    }
    for (FileEntry file : files) {
      StoredObject object = byTarget.get(base + job + "/" + file.name());
      if (object == null) {
        return Optional.of("it does not list " + base + job + "/" + file.name());
      }
      // the file's sha256 and the object's checksum are of different algorithms (in manifests of
      // earlier versions, of the same): firstUnlisted and the storage check each one's bytes
      if (object.bytes() != file.bytes()
          || (algorithm(object.checksum()).equals(algorithm(file.checksum()))
              && !object.checksum().equals(file.checksum()))) {
        return Optional.of("its object for " + file.name() + " does not hold that file's bytes");
      }
    }
    return Optional.empty();
  }

  /** The algorithm's label of a checksum as written here, {@code sha256:...}. */
  private static String algorithm(String checksum) {
    return checksum.substring(0, Math.max(0, checksum.indexOf(':')));
  }
}
