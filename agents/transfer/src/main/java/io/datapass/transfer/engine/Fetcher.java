package io.datapass.transfer.engine;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.checksum.ChecksumSet;
import io.datapass.transfer.storage.DaemonThreads;
import io.datapass.transfer.storage.DiskSpace;
import io.datapass.transfer.storage.ObjectSource;
import io.datapass.transfer.storage.OpenedStream;
import io.datapass.transfer.storage.RemoteObject;
import io.datapass.transfer.storage.Sizes;
import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.TransferException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one object to one file: writes to a {@link PartialFile}, resumes from the bytes on disk
 * after a transient failure (retried by a {@link Retrier}), verifies size and checksums, and only
 * then renames to the final name. Lists directory-like sources with the same retries.
 */
public final class Fetcher {
  private static final Logger log = LoggerFactory.getLogger(Fetcher.class);

  private static final ThreadLocal<ByteBuffer> COPY_BUFFER = new ThreadLocal<>();

  /** Hashes a buffer while the fetching thread writes it (see {@link PartialFile#append}). */
  private static final ExecutorService HASHING =
      Executors.newCachedThreadPool(DaemonThreads.named("hashing"));

  private final SourceRegistry sources;
  private final TransferSettings settings;
  private final ProgressReporter progress;
  private final LeftoverPartials leftovers = new LeftoverPartials();
  private final Retrier retrier;
  private final DiskSpace space;

  public Fetcher(SourceRegistry sources, TransferSettings settings, ProgressReporter progress) {
    this(sources, settings, progress, DiskSpace.ofFileStores());
  }

  /**
   * @param space how free space is measured before a download of known size
   */
  public Fetcher(
      SourceRegistry sources,
      TransferSettings settings,
      ProgressReporter progress,
      DiskSpace space) {
    this.sources = sources;
    this.settings = settings;
    this.progress = progress;
    this.retrier = new Retrier(settings.retryPolicy());
    this.space = space;
  }

  public FetchResult fetch(FetchRequest request) throws TransferException {
    long started = System.nanoTime();
    ObjectSource source = sources.sourceFor(request.source());
    if (request.root() != null) {
      prepareDirectories(request);
    }
    if (alreadyPresent(request)) {
      log.info(
          "{}: {} already holds {}, not fetched again",
          request.source(),
          request.target(),
          request.expected());
      long size = sizeOf(request.target());
      return new FetchResult(
          request.source(), request.target(), size, request.expected(), Duration.ZERO, 0, size);
    }
    TransferProgress tracker = progress.start(request.target().getFileName().toString());
    int[] attempts = {0};
    try {
      return retrier.call(
          request.source().toString(),
          () -> attempt(source, request, tracker, ++attempts[0], started));
    } catch (TransferException e) {
      throw e;
    } catch (IOException e) {
      throw TransferException.permanent(request.source() + ": " + Retrier.describe(e), e);
    } finally {
      progress.finish(tracker);
    }
  }

  private static void prepareDirectories(FetchRequest request) throws TransferException {
    try {
      ContainedDirectories.prepare(request.root(), request.target());
    } catch (TransferException e) {
      throw e;
    } catch (IOException e) {
      throw TransferException.permanent(
          request.target() + ": cannot create its directory: " + Retrier.describe(e), e);
    }
  }

  /** The objects below a directory-like location, listed with the same retries as a fetch. */
  public List<URI> list(URI directory) throws IOException {
    ObjectSource source = sources.sourceFor(directory);
    return retrier.call("listing " + directory, () -> source.list(directory));
  }

  private FetchResult attempt(
      ObjectSource source,
      FetchRequest request,
      TransferProgress tracker,
      int attempts,
      long started)
      throws IOException {
    RemoteObject object = source.stat(request.source());
    tracker.expect(object.size());
    ChecksumAlgorithm reported = reportedAlgorithm(request, object);
    ChecksumSet checksums = new ChecksumSet(algorithms(request, object, reported));
    boolean committed = false;
    PartialFile partial =
        PartialFile.open(request.target(), object, checksums, settings.bufferSize(), leftovers);
    Path directory = partial.path().toAbsolutePath().getParent();
    try {
      if (partial.inherited() && !verifiable(request, object)) {
        log.info(
            "{}: {} left by an earlier run cannot be verified (no checksum known): starting over",
            request.source(),
            Sizes.bytes(partial.size()));
        partial.restart();
      }
      long resumedFrom = partial.size();
      if (resumedFrom > 0) {
        log.info(
            "{}: resuming at {} from {}",
            request.source(),
            Sizes.bytes(resumedFrom),
            partial.path());
      }
      if (object.sizeKnown()) {
        space.requireRoom(directory, request.target(), object.size() - resumedFrom);
      }
      tracker.restartAt(resumedFrom);
      copyRest(source, object, partial, tracker);
      verify(request, object, partial);
      Checksum checksum = partial.checksums().value(reported);
      long bytes = partial.size();
      partial.commit(request.target(), settings.fsync());
      committed = true;
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      log.info(
          "{}: {} in {} ({}) -> {} ({})",
          request.source(),
          Sizes.bytes(bytes),
          Sizes.duration(elapsed),
          ProgressReporter.rate(bytes - resumedFrom, elapsed),
          request.target(),
          checksum);
      return new FetchResult(
          request.source(), request.target(), bytes, checksum, elapsed, attempts, resumedFrom);
    } catch (IOException e) {
      IOException failure =
          DiskSpace.isOutOfSpace(e)
              ? space.exhausted(directory, request.target(), partial.size(), object.size(), e)
              : e;
      if (!TransferException.isRetryable(failure)) {
        partial
            .delete(); // a final failure (a full disk above all) leaves no partial file to fill the
        // volume
      }
      throw failure;
    } finally {
      if (!committed) {
        partial.close();
      }
    }
  }

  private void copyRest(
      ObjectSource source, RemoteObject object, PartialFile partial, TransferProgress tracker)
      throws IOException {
    if (object.sizeKnown() && partial.size() == object.size()) {
      return;
    }
    try (OpenedStream opened = source.open(object, partial.size())) {
      if (opened.offset() != partial.size()) {
        log.info("{}: source cannot resume, starting over", object.uri());
        partial.restart();
        tracker.restartAt(0);
      }
      if (!object.sizeKnown() && opened.objectSize() >= 0) {
        tracker.expect(opened.objectSize()); // the GET told what the HEAD did not
      }
      tracker.reading(opened);
      ReadableByteChannel in = opened.channel();
      // One read, one write: while the write runs, the socket buffer fills, so the next read takes
      // a large piece
      // (reading until the buffer is full instead made 6x as many small reads and cost 40% more
      // system time).
      ByteBuffer buffer = copyBuffer();
      int n;
      while ((n = in.read(buffer.clear())) >= 0) {
        if (n > 0) {
          tracker.add(n);
          partial.append(buffer.flip(), HASHING);
        }
      }
    } catch (IOException e) {
      if (tracker.stalled()) {
        throw TransferException.retryable("stalled at " + partial.size() + " bytes", e);
      }
      throw e;
    } finally {
      tracker.reading(null);
    }
    if (object.sizeKnown() && partial.size() < object.size()) {
      throw TransferException.retryable(
          "connection ended at " + partial.size() + " of " + object.size() + " bytes", null);
    }
  }

  /**
   * This thread's copy buffer, direct so sockets and files move bytes without a pass through the
   * heap; kept per thread because direct memory is only given back by a garbage collection.
   */
  private ByteBuffer copyBuffer() {
    ByteBuffer buffer = COPY_BUFFER.get();
    if (buffer == null || buffer.capacity() != settings.bufferSize()) {
      buffer = ByteBuffer.allocateDirect(settings.bufferSize());
      COPY_BUFFER.set(buffer);
    }
    return buffer;
  }

  private void verify(FetchRequest request, RemoteObject object, PartialFile partial)
      throws IOException {
    if (object.sizeKnown() && partial.size() != object.size()) {
      throw TransferException.permanent(
          "size mismatch for "
              + request.source()
              + ": expected "
              + object.size()
              + " bytes, got "
              + partial.size());
    }
    Set<Checksum> expected = new LinkedHashSet<>(object.checksums());
    if (object.pending() != null) {
      object.pending().await().ifPresent(expected::add);
    }
    if (request.expected() != null) {
      expected.add(request.expected());
    }
    if (expected.isEmpty() && partial.inherited()) {
      partial.delete(); // the server kept no checksum after all: fetch everything this run
      throw TransferException.retryable(
          "bytes an earlier run left for " + request.source() + " cannot be verified", null);
    }
    for (Checksum want : expected) {
      Checksum got =
          partial.checksums().computes(want.algorithm())
              ? partial.checksums().value(want.algorithm())
              : want.algorithm()
                  .of(partial.path()); // the server answered with an algorithm not guessed
      if (!got.equals(want)) {
        throw TransferException.permanent(
            "checksum mismatch for " + request.source() + ": expected " + want + ", got " + got);
      }
    }
  }

  /** True when a checksum will verify the whole file, bytes of an earlier run included. */
  private static boolean verifiable(FetchRequest request, RemoteObject object) {
    return request.expected() != null || !object.checksums().isEmpty() || object.pending() != null;
  }

  /**
   * The checksum reported for the file: the one the caller asked for, else the source's, else
   * crc32c (cheapest).
   */
  private static ChecksumAlgorithm reportedAlgorithm(FetchRequest request, RemoteObject object) {
    if (request.expected() != null) {
      return request.expected().algorithm();
    }
    if (!object.checksums().isEmpty()) {
      return object.checksums().get(0).algorithm();
    }
    return object.pending() != null ? object.pending().likely() : ChecksumAlgorithm.CRC32C;
  }

  private static Set<ChecksumAlgorithm> algorithms(
      FetchRequest request, RemoteObject object, ChecksumAlgorithm reported) {
    Set<ChecksumAlgorithm> algorithms = new LinkedHashSet<>();
    algorithms.add(reported);
    object.checksums().forEach(c -> algorithms.add(c.algorithm()));
    if (object.pending() != null) {
      algorithms.add(object.pending().likely());
    }
    if (request.expected() != null) {
      algorithms.add(request.expected().algorithm());
    }
    return algorithms;
  }

  /**
   * True when the target already holds exactly the expected checksum: a restarted agent skips it.
   */
  private boolean alreadyPresent(FetchRequest request) throws TransferException {
    Checksum expected = request.expected();
    if (expected == null || !Files.isRegularFile(request.target(), LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      return expected.algorithm().of(request.target()).equals(expected);
    } catch (IOException e) {
      return false;
    }
  }

  private static long sizeOf(Path file) throws TransferException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw TransferException.retryable("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
