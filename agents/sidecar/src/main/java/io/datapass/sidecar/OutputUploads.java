package io.datapass.sidecar;

import io.datapass.transfer.engine.ParallelRunner;
import io.datapass.transfer.engine.ParallelRunner.Outcome;
import io.datapass.transfer.engine.Uploader;
import io.datapass.transfer.storage.ExistingObject;
import io.datapass.transfer.storage.LocalFiles;
import io.datapass.transfer.storage.MissingBucketException;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.UploadPrefix;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads the files under {@code output/} to {@code <prefix><path>} through the transfer engine,
 * which verifies each one and never leaves a partial object under a final name. Nothing stored by
 * someone else is replaced: a first upload looks first (the same bytes there count as stored, other
 * bytes are a conflict), and a file changed since the sidecar stored it replaces only that object,
 * which the {@link UploadLedger} records. An upload during the run and the final round meet here:
 * the final round sends what was never sent or changed since (size, modification time or checksum),
 * so the objects hold the final bytes.
 */
final class OutputUploads {
  private static final Logger log = LoggerFactory.getLogger(OutputUploads.class);

  /**
   * One output stored under its target; {@code alreadyStored} when this run of the sidecar did not
   * send it (an earlier run did, or the same bytes were there).
   */
  record Stored(String file, String target, long bytes, String checksum, boolean alreadyStored) {}

  /**
   * What an upload round stored, and the failures (one message per file).
   *
   * @param conflict some output's name holds an object that is not the sidecar's, or the bucket
   *     does not exist: no rerun changes that
   */
  record Result(List<Stored> stored, List<String> failures, boolean conflict) {
    boolean succeeded() {
      return failures.isEmpty();
    }
  }

  private final OutputFiles files;
  private final URI prefix;
  private final Uploader uploader;
  private final UploadLedger ledger;
  private final SidecarMetrics metrics;
  private final UploadProgress progress;
  private final int parallel;
  private final Set<String> sentByThisRun = ConcurrentHashMap.newKeySet();
  // targets where the same bytes were found, stored by someone else, and the version then seen
  private final ConcurrentHashMap<String, FileVersion> foundStored = new ConcurrentHashMap<>();

  OutputUploads(
      OutputFiles files,
      URI prefix,
      Uploader uploader,
      UploadLedger ledger,
      SidecarMetrics metrics,
      UploadProgress progress,
      int parallel) {
    this.files = files;
    this.prefix = prefix;
    this.uploader = uploader;
    this.ledger = ledger;
    this.metrics = metrics;
    this.progress = progress;
    this.parallel = parallel;
    String base = UploadPrefix.withoutQuery(prefix).toString();
    ledger
        .owned()
        .forEach(
            (target, entry) -> {
              if (target.startsWith(base)) {
                progress.stored(target, entry.stored().bytes());
              }
            });
  }

  OutputFiles files() {
    return files;
  }

  /**
   * The final round: uploads every file not stored in its current version, {@code parallel} at
   * once; every file is tried even when one fails.
   */
  Result uploadAll() throws IOException, InterruptedException {
    List<Path> all = files.list();
    List<Callable<Stored>> jobs =
        all.stream().<Callable<Stored>>map(file -> () -> upload(file, true)).toList();
    List<Stored> stored = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    boolean conflict = false;
    for (Outcome<Stored> outcome : ParallelRunner.runAll(jobs, parallel)) {
      if (outcome.succeeded()) {
        stored.add(outcome.value());
      } else {
        // another object under an output's name, or no such bucket: a rerun would meet it again
        Throwable failure = outcome.failure();
        Optional<MissingBucketException> noBucket = MissingBucketException.in(failure);
        conflict |= failure instanceof ObjectExistsException || noBucket.isPresent();
        String message = noBucket.isPresent() ? noBucket.get().getMessage() : failure.getMessage();
        failures.add(message);
        log.error("{}", message);
      }
    }
    Set<String> current = new HashSet<>();
    all.forEach(file -> current.add(target(file)));
    failures.addAll(deleteGone(current));
    log.info(
        "{} outputs stored under {} ({} not sent by this run), {} failed",
        stored.size(),
        UploadPrefix.withoutQuery(prefix),
        stored.stream().filter(Stored::alreadyStored).count(),
        failures.size());
    return new Result(stored, failures, conflict);
  }

  /**
   * Deletes the objects this sidecar stored for files the payload has removed (or renamed) since,
   * so that no early version, half-written perhaps, stays among the outputs; one replaced by
   * someone else meanwhile is theirs, and kept.
   */
  private List<String> deleteGone(Set<String> current) {
    String base = UploadPrefix.withoutQuery(prefix).toString();
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, UploadLedger.Entry> own : ledger.owned().entrySet()) {
      String key = own.getKey();
      if (!key.startsWith(base) || current.contains(key)) {
        continue;
      }
      try {
        try {
          uploader.deleteOwn(
              UploadPrefix.under(prefix, key.substring(base.length())), own.getValue().stored());
          log.info("{}: deleted, its file is no longer under output/", key);
        } catch (ObjectExistsException e) {
          log.warn("{}: its file is no longer under output/; {}", key, e.getMessage());
        }
        ledger.dropped(key);
        progress.dropped(key);
      } catch (IOException e) {
        String failure =
            key + ": stored earlier, its file gone since, not deleted: " + e.getMessage();
        failures.add(failure);
        log.error("{}", failure);
      }
    }
    return failures;
  }

  /** Whether {@code version} of the file behind {@code target} is stored (as far as is known). */
  boolean isStored(String target, FileVersion version) {
    UploadLedger.Entry own = ledger.own(target);
    return own != null ? own.local().equals(version) : version.equals(foundStored.get(target));
  }

  /** The target of {@code file}, without its query, as the ledger and progress name it. */
  String target(Path file) {
    return UploadPrefix.withoutQuery(UploadPrefix.under(prefix, files.name(file))).toString();
  }

  /**
   * Stores the file's current version unless it is stored already.
   *
   * @param checkContent compare the file's checksum with the stored one too, not only its size and
   *     modification time (the final round)
   */
  Stored upload(Path file, boolean checkContent) throws IOException {
    String name = files.name(file);
    URI target = UploadPrefix.under(prefix, name);
    String key = UploadPrefix.withoutQuery(target).toString();
    try {
      return uploadVersion(file, name, target, key, FileVersion.of(file), checkContent);
    } catch (IOException | RuntimeException e) {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        metrics.uploadFailed();
        progress.failed(key);
      } else {
        progress.gone(key); // removed or renamed by the payload meanwhile: not an output now
      }
      throw e;
    }
  }

  private Stored uploadVersion(
      Path file, String name, URI target, String key, FileVersion version, boolean checkContent)
      throws IOException {
    UploadLedger.Entry own = ledger.own(key);
    if (own != null
        && own.local().equals(version)
        && (!checkContent || holds(own.stored(), file, version))) {
      progress.stored(key, own.stored().bytes());
      return stored(name, key, own.stored(), !sentByThisRun.contains(key));
    }
    progress.pending(key);
    boolean wasSending = ledger.wasSending(key); // by a run that may have stored it, then crashed
    ledger.sending(key, version);
    Uploader.UploadResult result =
        own != null
            ? uploader.replaceOwn(file, target, own.stored())
            : uploader.upload(file, target, false);
    if (result.alreadyStored() && own == null && !wasSending) {
      ledger.found(key, version); // someone else's object: never ours to replace
      foundStored.put(key, version);
    } else {
      ledger.stored(key, version, result.stored());
    }
    if (!result.alreadyStored()) {
      sentByThisRun.add(key);
      metrics.uploaded(result.bytes());
    }
    progress.stored(key, result.bytes());
    return stored(name, key, result.stored(), !sentByThisRun.contains(key));
  }

  /** Whether the file still holds the bytes stored (its size and checksum). */
  private static boolean holds(ExistingObject stored, Path file, FileVersion version)
      throws IOException {
    if (stored.bytes() != version.size()) {
      return false;
    }
    try (FileChannel in = LocalFiles.openToRead(file)) {
      return stored.checksum().equals(stored.checksum().algorithm().of(in));
    }
  }

  private static Stored stored(String name, String key, ExistingObject object, boolean earlier) {
    return new Stored(name, key, object.bytes(), object.checksum().toString(), earlier);
  }
}
