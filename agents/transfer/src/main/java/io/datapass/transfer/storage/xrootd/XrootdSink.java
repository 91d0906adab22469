package io.datapass.transfer.storage.xrootd;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.checksum.FileHashing;
import io.datapass.transfer.checksum.Hasher;
import io.datapass.transfer.storage.ExistingObject;
import io.datapass.transfer.storage.LocalFiles;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.ObjectSink;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.UploadStream;
import io.datapass.xrootd.XrootdClient;
import io.datapass.xrootd.XrootdException;
import io.datapass.xrootd.XrootdFile;
import io.datapass.xrootd.XrootdUrl;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads to {@code root://}: writes (pipelined, straight from the page cache) to a hidden
 * temporary name in the target directory (created as needed), closes, compares the server's adler32
 * with the one computed while reading the local file, and only then renames to the final name. A
 * failed upload removes its temporary file.
 */
public final class XrootdSink implements ObjectSink {
  private static final Logger log = LoggerFactory.getLogger(XrootdSink.class);

  private final XrootdClient client;
  private final int chunk;
  private final int window;

  public XrootdSink(XrootdClient client, int chunk, int window) {
    this.client = client;
    this.chunk = chunk;
    this.window = window;
  }

  @Override
  public Checksum upload(Path file, URI target, boolean replace) throws IOException {
    if (!replace) {
      return uploadReplacing(file, target, null).checksum();
    }
    return store(file, target, url -> {}).checksum();
  }

  /**
   * XRootD has no rename on condition: the final name is looked at (size and the server's checksum)
   * just before the verified temporary file is renamed over it, which leaves a writer between the
   * two unseen.
   */
  @Override
  public ExistingObject uploadReplacing(Path file, URI target, ExistingObject expected)
      throws IOException {
    return store(
        file,
        target,
        url -> {
          if (expected == null) {
            if (exists(url)) {
              throw new ObjectExistsException(target, target + " already exists; not replaced");
            }
            return;
          }
          Optional<ExistingObject> now = existing(target);
          if (now.isEmpty() || !now.get().isSameObject(expected)) {
            throw new ObjectExistsException(
                target, target + " no longer holds " + expected + "; not replaced");
          }
        });
  }

  /** Looked at just before the file is removed, as {@link #uploadReplacing} does. */
  @Override
  public void deleteIfHolds(URI target, ExistingObject expected) throws IOException {
    Optional<ExistingObject> now = existing(target);
    if (now.isEmpty()) {
      return;
    }
    if (!now.get().isSameObject(expected)) {
      throw new ObjectExistsException(
          target, target + " no longer holds " + expected + "; not deleted");
    }
    try {
      client.rm(XrootdSource.url(target));
    } catch (XrootdException e) {
      if (e.code() != XrootdException.NOT_FOUND) {
        throw XrootdSource.classify(e);
      }
    }
  }

  /** Refuses, by throwing, to let the verified temporary file take the final name. */
  private interface FinalNameCheck {
    void check(XrootdUrl url) throws IOException;
  }

  /**
   * Writes to a hidden temporary name, verifies it, checks the final name, renames; what it stored.
   */
  private ExistingObject store(Path file, URI target, FinalNameCheck finalName) throws IOException {
    XrootdUrl url = XrootdSource.url(target);
    XrootdUrl temporary = temporaryFor(url);
    boolean renamed = false;
    try {
      long started = System.nanoTime();
      Written local = write(file, temporary);
      placeVerified(temporary, url, target, file.toString(), local.adler32(), started, finalName);
      renamed = true;
      return new ExistingObject(
          local.size(), new Checksum(ChecksumAlgorithm.ADLER32, local.adler32()));
    } catch (XrootdException e) {
      throw XrootdSource.classify(e);
    } finally {
      if (!renamed) {
        removeQuietly(temporary);
      }
    }
  }

  private boolean exists(XrootdUrl url) throws IOException {
    try {
      client.stat(url);
      return true;
    } catch (XrootdException e) {
      if (e.code() == XrootdException.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public Optional<ExistingObject> existing(URI target) throws IOException {
    XrootdUrl url = XrootdSource.url(target);
    try {
      long size;
      try {
        size = client.stat(url).size();
      } catch (XrootdException e) {
        if (e.code() == XrootdException.NOT_FOUND) {
          return Optional.empty();
        }
        throw e;
      }
      String[] checksum = client.checksum(url);
      return Optional.of(
          new ExistingObject(
              size, new Checksum(ChecksumAlgorithm.fromLabel(checksum[0]), checksum[1])));
    } catch (XrootdException e) {
      throw XrootdSource.classify(e);
    }
  }

  @Override
  public UploadStream openUpload(URI target, boolean replace) throws IOException {
    XrootdUrl url = XrootdSource.url(target);
    XrootdUrl temporary = temporaryFor(url);
    try {
      return new XrootdUploadStream(
          this, client.openWrite(temporary, true), url, target, replace, chunk, window);
    } catch (XrootdException e) {
      removeQuietly(temporary);
      throw XrootdSource.classify(e);
    }
  }

  /** A hidden, unique name in the target's directory, renamed to the target once verified. */
  private static XrootdUrl temporaryFor(XrootdUrl url) {
    String name = url.path().substring(url.path().lastIndexOf('/') + 1);
    String directory = url.path().substring(0, url.path().lastIndexOf('/') + 1);
    return url.withPath(
        directory + "." + name + "." + UUID.randomUUID().toString().substring(0, 8) + ".part");
  }

  /** As below, for a streamed upload: without {@code replace} the name must still be free. */
  void placeVerified(
      XrootdUrl temporary,
      XrootdUrl url,
      URI target,
      String what,
      String local,
      long started,
      boolean replace)
      throws IOException {
    placeVerified(
        temporary,
        url,
        target,
        what,
        local,
        started,
        name -> {
          if (!replace && exists(name)) {
            throw new ObjectExistsException(target, target + " already exists; not replaced");
          }
        });
  }

  /**
   * Compares the server's adler32 of the written {@code temporary} with {@code local}, lets {@code
   * finalName} refuse the target, then renames (XRootD's rename replaces).
   *
   * @param what what was written, for messages
   * @param started when writing began, to log what the server's checksum costs next to it
   */
  private void placeVerified(
      XrootdUrl temporary,
      XrootdUrl url,
      URI target,
      String what,
      String local,
      long started,
      FinalNameCheck finalName)
      throws IOException {
    long written = System.nanoTime();
    String[] remote = client.checksum(temporary);
    // the server reads the whole file back for its checksum: say what that costs next to the
    // transfer
    log.info(
        "{}: written in {} s; the server's {} took {} s more",
        target,
        seconds(written - started),
        remote[0],
        seconds(System.nanoTime() - written));
    if (!remote[0].equals("adler32")) {
      throw TransferException.permanent(
          "server reports " + remote[0] + " for " + target + "; expected adler32");
    }
    if (!remote[1].equals(local)) {
      throw TransferException.retryable(
          "upload of "
              + what
              + " to "
              + target
              + " corrupted: server adler32 "
              + remote[1]
              + ", local "
              + local,
          null);
    }
    finalName.check(url);
    client.mv(temporary, url.path());
  }

  /** What {@link #write} sent: its size and adler32. */
  private record Written(long size, String adler32) {}

  /**
   * Writes the file with {@code window} writes of {@code chunk} bytes in flight, each sent from the
   * page cache to the socket (sendfile), and hashes each piece just after sending it, while the
   * server stores it.
   */
  private Written write(Path file, XrootdUrl temporary) throws IOException {
    Hasher adler = ChecksumAlgorithm.ADLER32.newHasher();
    Deque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
    try (FileChannel in = LocalFiles.openToRead(file);
        // oss.asize: the size to come, as xrdcp sends it (sites such as EOS place and reserve space
        // by it)
        XrootdFile out =
            client.openWrite(
                temporary.withParameter("oss.asize", Long.toString(in.size())), true)) {
      long size = in.size();
      for (long offset = 0; offset < size; offset += chunk) {
        int length = (int) Math.min(chunk, size - offset);
        if (inFlight.size() >= window) {
          join(inFlight.removeFirst(), temporary);
        }
        inFlight.addLast(out.write(offset, in, offset, length));
        try {
          FileHashing.update(adler, in, offset, length);
        } catch (EOFException e) {
          throw TransferException.retryable(e.getMessage() + " while it was uploaded", e);
        }
      }
      while (!inFlight.isEmpty()) {
        join(inFlight.removeFirst(), temporary);
      }
      if (in.size() != size) {
        throw TransferException.retryable(file + " changed size while it was uploaded", null);
      }
      return new Written(size, adler.hex());
    }
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
  }

  static void join(CompletableFuture<Void> write, XrootdUrl url) throws IOException {
    try {
      write.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw XrootdClient.unwrap(e, "write " + url);
    }
  }

  void removeQuietly(XrootdUrl temporary) {
    try {
      client.rm(temporary);
    } catch (IOException ignored) {
      // nothing was written, or the server is gone: the name is hidden and unique either way
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
