package io.datapass.cleanup;

import io.datapass.cleanup.CleanupReport.StoredObject;
import io.datapass.cleanup.OutputManifest.FileEntry;
import io.datapass.cleanup.OutputTree.OutputFile;
import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.engine.ParallelRunner;
import io.datapass.transfer.engine.ParallelRunner.Outcome;
import io.datapass.transfer.engine.RetryPolicy;
import io.datapass.transfer.engine.StreamUploader;
import io.datapass.transfer.engine.StreamUploader.StreamResult;
import io.datapass.transfer.engine.Uploader;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.storage.UploadPrefix;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads the outputs: one zip of the output directory, streamed to the storage while it is made
 * (nothing of it is written locally), or each of its files ({@code parallel} at once). Nothing
 * stored is replaced unless {@code --overwrite} says so; the same bytes already stored count as
 * uploaded.
 */
final class OutputUpload {
  private static final Logger log = LoggerFactory.getLogger(OutputUpload.class);

  private final CleanupOptions options;
  private final Destination destination;
  private final Uploader uploader;
  private final StreamUploader streams;

  OutputUpload(CleanupOptions options, Destination destination, SinkRegistry sinks) {
    this.options = options;
    this.destination = destination;
    this.uploader = new Uploader(sinks, RetryPolicy.standard(options.retries()));
    this.streams = new StreamUploader(sinks, RetryPolicy.standard(options.retries()));
  }

  /**
   * Uploads the tree as the options say and returns its manifest (not uploaded yet).
   *
   * @param jobState how the job ended, for the manifest; null when not known
   */
  OutputManifest outputs(OutputTree tree, JobState jobState) throws IOException {
    String mode = options.mode().label();
    if (options.mode() == CleanupOptions.Mode.ZIP) {
      return zip(tree, jobState);
    }
    List<TreeUpload> uploaded = each(tree.files());
    return new OutputManifest(
        options.job(),
        jobState,
        mode,
        uploaded.stream().map(TreeUpload::object).toList(),
        uploaded.stream().map(TreeUpload::file).toList(),
        tree.skipped());
  }

  /** Streams the zip of the tree to {@code <job>-output.zip}. */
  private OutputManifest zip(OutputTree tree, JobState jobState) throws IOException {
    // each attempt zips again: the sha256 of the last one are of the bytes stored
    AtomicReference<Map<String, Checksum>> sha256 = new AtomicReference<>();
    StreamResult zip =
        streams.upload(
            out -> sha256.set(tree.zipTo(out, options.compression())),
            destination.resolve(options.job() + "-output.zip"),
            options.overwrite(),
            "the zip of " + options.output());
    log.info(
        "zipped {} files, {} bytes, into {} bytes", tree.files().size(), tree.bytes(), zip.bytes());
    StoredObject stored =
        new StoredObject(
            UploadPrefix.withoutQuery(zip.target()),
            "(zip of " + options.output() + ")",
            zip.bytes(),
            zip.checksum().toString());
    List<FileEntry> files =
        tree.files().stream()
            .map(f -> new FileEntry(f.name(), f.bytes(), sha256.get().get(f.name()).toString()))
            .toList();
    return new OutputManifest(
        options.job(), jobState, options.mode().label(), List.of(stored), files, tree.skipped());
  }

  /** Uploads the manifest, from memory. */
  void manifest(OutputManifest manifest) throws IOException {
    byte[] json = manifest.toJson().getBytes(StandardCharsets.UTF_8);
    streams.upload(
        out -> out.write(json),
        destination.resolve(OutputManifest.fileName(options.job())),
        options.overwrite(),
        "the manifest");
  }

  /** One file of tree mode: its object, and its entry in the manifest. */
  private record TreeUpload(StoredObject object, FileEntry file) {}

  /** Uploads one file as {@code <job>/<name>} under the destination, then takes its sha256. */
  private TreeUpload one(OutputFile file) throws IOException {
    Uploader.UploadResult result =
        uploader.upload(
            file.path(),
            destination.resolve(options.job() + "/" + file.name()),
            options.overwrite());
    Checksum sha256 = FileDigests.sha256Holding(file.path(), result.checksum());
    return new TreeUpload(
        new StoredObject(
            UploadPrefix.withoutQuery(result.target()),
            file.name(),
            result.bytes(),
            result.checksum().toString()),
        new FileEntry(file.name(), result.bytes(), sha256.toString()));
  }

  /**
   * Uploads the files, {@code parallel} at once; any failure fails the whole (every file is tried
   * first).
   */
  private List<TreeUpload> each(List<OutputFile> files) throws IOException {
    List<Callable<TreeUpload>> jobs =
        files.stream().<Callable<TreeUpload>>map(file -> () -> one(file)).toList();
    List<Outcome<TreeUpload>> outcomes;
    try {
      outcomes = ParallelRunner.runAll(jobs, options.parallel());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while uploading");
    }
    List<Exception> failures =
        outcomes.stream().filter(o -> !o.succeeded()).map(Outcome::failure).toList();
    if (!failures.isEmpty()) {
      failures.forEach(f -> log.error("{}", f.getMessage()));
      for (Exception failure : failures) {
        if (failure instanceof ObjectExistsException exists) {
          throw exists; // decides the exit code: other content is stored, and a retry would meet it
          // again
        }
      }
      throw new IOException(
          failures.size()
              + " of "
              + files.size()
              + " uploads failed; first: "
              + failures.get(0).getMessage(),
          failures.get(0));
    }
    return outcomes.stream().map(Outcome::value).toList();
  }
}
