package io.datapass.downloader;

import io.datapass.transfer.archive.ArchiveExtractor;
import io.datapass.transfer.archive.ExtractionResult;
import io.datapass.transfer.engine.FetchRequest;
import io.datapass.transfer.engine.FetchResult;
import io.datapass.transfer.engine.Fetcher;
import io.datapass.transfer.engine.ParallelRunner;
import io.datapass.transfer.engine.ParallelRunner.Outcome;
import io.datapass.transfer.storage.Locations;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches every planned input (listing directory sources first, with the fetcher's retries),
 * unpacking archives, a bounded number at once.
 */
final class Downloader {
  private static final Logger log = LoggerFactory.getLogger(Downloader.class);

  private final Fetcher fetcher;
  private final ArchiveExtractor extractor;
  private final int parallel;
  private final Path dest;

  /**
   * @param dest the input directory: every file lands inside its real path
   */
  Downloader(Fetcher fetcher, ArchiveExtractor extractor, int parallel, Path dest) {
    this.fetcher = fetcher;
    this.extractor = extractor;
    this.parallel = parallel;
    this.dest = dest;
  }

  DownloadReport run(List<PlannedInput> inputs) throws InterruptedException {
    long started = System.nanoTime();
    List<InputReport> reports = new ArrayList<>();
    List<PlannedInput> files = new ArrayList<>();
    for (PlannedInput input : inputs) {
      if (input.isDirectory()) {
        expand(input, files, reports);
      } else {
        files.add(input);
      }
    }
    log.info("fetching {} files, {} at a time", files.size(), parallel);
    List<Callable<InputReport>> jobs =
        files.stream().<Callable<InputReport>>map(f -> () -> fetch(f)).toList();
    List<Outcome<InputReport>> outcomes = ParallelRunner.runAll(jobs, parallel);
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome<InputReport> outcome = outcomes.get(i);
      PlannedInput input = files.get(i);
      if (outcome.succeeded()) {
        reports.add(outcome.value());
      } else {
        InputReport report =
            InputReport.failed(
                input.field(), Locations.withoutSecrets(input.source()), outcome.failure());
        log.error("{}: {}", input.field(), report.error());
        reports.add(report);
      }
    }
    return DownloadReport.of(reports, (System.nanoTime() - started) / 1e9);
  }

  private InputReport fetch(PlannedInput input) throws IOException {
    if (!input.unpack()) {
      FetchResult result =
          fetcher.fetch(new FetchRequest(input.source(), input.target(), input.checksum(), dest));
      return report(input, result, input.target(), null);
    }
    Path archive = input.target().resolve("." + Locations.baseName(input.source()) + ".archive");
    FetchResult result =
        fetcher.fetch(new FetchRequest(input.source(), archive, input.checksum(), dest));
    try {
      ExtractionResult extracted = extractor.extract(archive, input.target());
      log.info(
          "{}: unpacked {} files ({} bytes) into {}",
          input.source(),
          extracted.files(),
          extracted.bytes(),
          input.target());
      return report(input, result, input.target(), extracted.files());
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  /**
   * Lists a directory source and plans one file per object, keeping the layout below the prefix.
   */
  private void expand(PlannedInput directory, List<PlannedInput> files, List<InputReport> reports) {
    try {
      String prefix = directory.source().getPath();
      for (URI object : fetcher.list(directory.source())) {
        String relative = object.getPath().substring(prefix.length());
        Path target = directory.target().resolve(relative).normalize();
        if (!target.startsWith(directory.target()) || relative.isEmpty()) {
          throw new IOException("object " + object + " would land outside " + directory.target());
        }
        files.add(
            new PlannedInput(directory.field() + "/" + relative, object, target, null, false));
      }
    } catch (IOException e) {
      InputReport report =
          InputReport.failed(directory.field(), Locations.withoutSecrets(directory.source()), e);
      log.error("{}: {}", directory.field(), report.error());
      reports.add(report);
    }
  }

  private static InputReport report(
      PlannedInput input, FetchResult result, Path target, Integer unpacked) {
    return new InputReport(
        input.field(),
        Locations.withoutSecrets(input.source()),
        target.toString(),
        result.bytes(),
        result.checksum().toString(),
        Math.round(result.elapsed().toMillis() / 10.0) / 100.0,
        result.resumedFrom() > 0 ? result.resumedFrom() : null,
        unpacked,
        null,
        false);
  }
}
