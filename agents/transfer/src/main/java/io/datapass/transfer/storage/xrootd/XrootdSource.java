package io.datapass.transfer.storage.xrootd;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.DaemonThreads;
import io.datapass.transfer.storage.Locations;
import io.datapass.transfer.storage.ObjectSource;
import io.datapass.transfer.storage.OpenedStream;
import io.datapass.transfer.storage.PendingChecksum;
import io.datapass.transfer.storage.RemoteObject;
import io.datapass.transfer.storage.TransferException;
import io.datapass.xrootd.DirEntry;
import io.datapass.xrootd.StatInfo;
import io.datapass.xrootd.XrootdClient;
import io.datapass.xrootd.XrootdException;
import io.datapass.xrootd.XrootdFile;
import io.datapass.xrootd.XrootdUrl;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code root://} through datapass's own XRootD client. The server's adler32 is asked for at stat
 * time, computed by the server while the bytes flow, and verified after the download; reads are
 * pipelined ({@code window} requests of {@code chunk} bytes in flight).
 */
public final class XrootdSource implements ObjectSource {
  private static final Logger log = LoggerFactory.getLogger(XrootdSource.class);

  /** Runs the checksum queries, which block until the server has read the whole file. */
  private static final ExecutorService QUERIES =
      Executors.newCachedThreadPool(DaemonThreads.named("xrootd-checksum"));

  private final XrootdClient client;

  /**
   * What the directory listing said of each file, used once by the stat that starts its fetch (a
   * round trip less per file); a retry asks the server again.
   */
  private final Map<URI, StatInfo> listed = new ConcurrentHashMap<>();

  /**
   * Checksum queries in flight at once. Each one is a job on the server, which has few slots for
   * them: Debian's xrootd 5.5 answered a fourth concurrent query with "kXR_wait 30, Job resources
   * currently not available" (a 30 s stall); two never did in bench/xrootd.
   */
  private final Semaphore checksumSlots = new Semaphore(2);

  private final int chunk;
  private final int window;

  /**
   * Read-ahead memory of all the files read at once, by default: 4 requests of 8 MiB in flight for
   * one file.
   */
  public static final int READ_AHEAD_BYTES = 32 << 20;

  /**
   * A source whose files, {@code parallel} read at once, share {@link #READ_AHEAD_BYTES} of
   * read-ahead: one file keeps 4 requests of 8 MiB in flight, four files one each, more files
   * smaller requests (1 MiB at least).
   */
  public static XrootdSource sharingReadAhead(XrootdClient client, int parallel) {
    int perFile = READ_AHEAD_BYTES / Math.max(1, parallel);
    int chunk = Math.max(1 << 20, Math.min(8 << 20, perFile));
    return new XrootdSource(client, chunk, Math.max(1, perFile / chunk));
  }

  public XrootdSource(XrootdClient client, int chunk, int window) {
    this.client = client;
    this.chunk = chunk;
    this.window = window;
  }

  /** Bytes per read request. */
  int chunk() {
    return chunk;
  }

  /** Read requests in flight per file. */
  int window() {
    return window;
  }

  @Override
  public RemoteObject stat(URI uri) throws IOException {
    XrootdUrl url = url(uri);
    StatInfo stat = listed.remove(uri);
    try {
      if (stat == null) {
        stat = client.stat(url);
      }
    } catch (XrootdException e) {
      throw classify(e);
    }
    if (stat.isDirectory()) {
      throw TransferException.permanent("is a directory: " + uri + " (end a directory with '/')");
    }
    return new RemoteObject(
        uri,
        stat.size(),
        stat.size() + "@" + stat.modifiedEpochSeconds(),
        List.of(),
        new PendingChecksum(
            ChecksumAlgorithm.ADLER32,
            CompletableFuture.supplyAsync(() -> serverChecksum(url), QUERIES)));
  }

  /**
   * The server's checksum (adler32 on the grid), when it keeps checksums; empty when it does not
   * ({@code xrootd.chksum} unset). Asked for at stat time and awaited after the read: the server
   * reads the whole file to compute it, so this overlaps with the transfer.
   */
  private Optional<Checksum> serverChecksum(XrootdUrl url) {
    try {
      String[] checksum;
      checksumSlots.acquireUninterruptibly();
      try {
        checksum = client.checksum(url);
      } finally {
        checksumSlots.release();
      }
      return Optional.of(new Checksum(ChecksumAlgorithm.fromLabel(checksum[0]), checksum[1]));
    } catch (XrootdException e) {
      if (e.code() == XrootdException.UNSUPPORTED) {
        log.debug("{}: server keeps no checksums", url);
        return Optional.empty();
      }
      throw new CompletionException(classify(e));
    } catch (IllegalArgumentException unknownAlgorithm) {
      log.info("{}: server checksum not usable here: {}", url, unknownAlgorithm.getMessage());
      return Optional.empty();
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  @Override
  public OpenedStream open(RemoteObject object, long offset) throws IOException {
    try {
      XrootdFile file = client.openRead(url(object.uri()));
      return new OpenedStream(
          new XrootdInputStream(file, offset, object.size(), chunk, window, 300), offset);
    } catch (XrootdException e) {
      throw classify(e);
    }
  }

  @Override
  public List<URI> list(URI directory) throws IOException {
    XrootdUrl root = url(directory);
    List<URI> files = new ArrayList<>();
    try {
      walk(root, root.path().endsWith("/") ? root.path() : root.path() + "/", files);
    } catch (XrootdException e) {
      throw classify(e);
    }
    if (files.isEmpty()) {
      throw TransferException.permanent("no files under " + directory);
    }
    return files;
  }

  private void walk(XrootdUrl base, String dirPath, List<URI> files) throws IOException {
    List<DirEntry> entries = new ArrayList<>(client.list(base.withPath(dirPath)));
    entries.sort(java.util.Comparator.comparing(DirEntry::name));
    for (DirEntry entry : entries) {
      String path = dirPath + entry.name();
      if (entry.stat().isDirectory()) {
        walk(base, path + "/", files);
      } else if (entry.stat().isFile()) {
        URI file =
            Locations.parse(
                "root://"
                    + base.hostPort()
                    + "/"
                    + path
                    + (base.cgi().isEmpty() ? "" : "?" + base.cgi()));
        files.add(file);
        listed.put(file, entry.stat());
      }
    }
  }

  @Override
  public void close() {
    client.close();
  }

  static XrootdUrl url(URI uri) throws TransferException {
    try {
      return XrootdUrl.of(uri);
    } catch (IllegalArgumentException e) {
      throw TransferException.permanent(e.getMessage());
    }
  }

  /** Server errors keep their message; only the transient codes are worth a retry. */
  static TransferException classify(XrootdException e) {
    return new TransferException(e.getMessage(), e.isTransient(), e);
  }
}
