package io.datapass.cleanup;

import io.datapass.cleanup.CleanupReport.StoredObject;
import io.datapass.cleanup.OutputManifest.FileEntry;
import io.datapass.cleanup.OutputTree.OutputFile;
import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.engine.ParallelRunner;
import io.datapass.transfer.engine.ParallelRunner.Outcome;
import io.datapass.transfer.engine.RetryPolicy;
import io.datapass.transfer.engine.Uploader;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.storage.UploadPrefix;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads the outputs: one zip of the output directory, or each of its files ({@code parallel} at
 * once). Nothing stored is replaced unless {@code --overwrite} says so; the same bytes already
 * stored count as uploaded.
 */
final class OutputUpload {
  private static final Logger log = LoggerFactory.getLogger(OutputUpload.class);

  private final CleanupOptions options;
  private final Destination destination;
  private final Uploader uploader;

  OutputUpload(CleanupOptions options, Destination destination, SinkRegistry sinks) {
    this.options = options;
    this.destination = destination;
    this.uploader = new Uploader(sinks, RetryPolicy.standard(options.retries()));
  }

  /**
   * Uploads the tree as the options say and returns its manifest (not uploaded yet).
   *
   * @param scratchFiles gets the files made in {@code --scratch}, for the caller to delete
   */
  OutputManifest outputs(OutputTree tree, List<Path> scratchFiles) throws IOException {
    if (options.mode() == CleanupOptions.Mode.ZIP) {
      Path zip = options.scratch().resolve(options.job() + "-output.zip");
      scratchFiles.add(zip);
      Map<String, Checksum> checksums = tree.zipTo(zip, options.compression());
      log.info("{}: zipped {} files into {} bytes", zip, tree.files().size(), Files.size(zip));
      StoredObject stored =
          one(zip, zip.getFileName().toString(), "(zip of " + options.output() + ")");
      List<FileEntry> files =
          tree.files().stream()
              .map(f -> new FileEntry(f.name(), f.bytes(), checksums.get(f.name()).toString()))
              .toList();
      return new OutputManifest(
          options.job(), options.mode().label(), List.of(stored), files, tree.skipped());
    }
    List<StoredObject> stored = each(tree.files());
    // in tree mode each object holds one file's bytes: its checksum is the file's
    List<FileEntry> files =
        stored.stream().map(o -> new FileEntry(o.source(), o.bytes(), o.checksum())).toList();
    return new OutputManifest(options.job(), options.mode().label(), stored, files, tree.skipped());
  }

  /** Uploads one file as {@code name} under the destination. */
  StoredObject one(Path file, String name, String source) throws IOException {
    Uploader.UploadResult result =
        uploader.upload(file, destination.resolve(name), options.overwrite());
    return new StoredObject(
        UploadPrefix.withoutQuery(result.target()),
        source,
        result.bytes(),
        result.checksum().toString());
  }

  /**
   * Uploads the files, {@code parallel} at once; any failure fails the whole (every file is tried
   * first).
   */
  private List<StoredObject> each(List<OutputFile> files) throws IOException {
    List<Callable<StoredObject>> jobs =
        files.stream()
            .<Callable<StoredObject>>map(
                file -> () -> one(file.path(), options.job() + "/" + file.name(), file.name()))
            .toList();
    List<Outcome<StoredObject>> outcomes;
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
