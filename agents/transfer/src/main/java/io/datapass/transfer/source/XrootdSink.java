package io.datapass.transfer.source;

import io.datapass.transfer.TransferException;
import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.checksum.Hasher;
import io.datapass.xrootd.XrootdClient;
import io.datapass.xrootd.XrootdException;
import io.datapass.xrootd.XrootdFile;
import io.datapass.xrootd.XrootdUrl;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Uploads to {@code root://}: writes (pipelined) to a hidden temporary name in the target directory (created as
 * needed), closes, compares the server's adler32 with the one computed while reading the local file, and only then
 * renames to the final name. A failed upload removes its temporary file.
 */
public final class XrootdSink implements ObjectSink {
  private final XrootdClient client;
  private final int chunk;
  private final int window;

  public XrootdSink(XrootdClient client, int chunk, int window) {
    this.client = client;
    this.chunk = chunk;
    this.window = window;
  }

  @Override
  public Checksum upload(Path file, URI target) throws IOException {
    XrootdUrl url = XrootdSource.url(target);
    String name = url.path().substring(url.path().lastIndexOf('/') + 1);
    String directory = url.path().substring(0, url.path().lastIndexOf('/') + 1);
    XrootdUrl temporary = url.withPath(directory + "." + name + "." + UUID.randomUUID().toString().substring(0, 8)
        + ".part");
    boolean renamed = false;
    try {
      String local = write(file, temporary);
      String[] remote = client.checksum(temporary);
      if (!remote[0].equals("adler32")) {
        throw TransferException.permanent("server reports " + remote[0] + " for " + target + "; expected adler32");
      }
      if (!remote[1].equals(local)) {
        throw TransferException.retryable("upload of " + file + " to " + target + " corrupted: server adler32 "
            + remote[1] + ", local " + local, null);
      }
      client.mv(temporary, url.path());
      renamed = true;
      return new Checksum(ChecksumAlgorithm.ADLER32, local);
    } catch (XrootdException e) {
      throw XrootdSource.classify(e);
    } finally {
      if (!renamed) {
        removeQuietly(temporary);
      }
    }
  }

  /** Writes the file with {@code window} writes in flight; returns its adler32. */
  private String write(Path file, XrootdUrl temporary) throws IOException {
    Hasher adler = ChecksumAlgorithm.ADLER32.newHasher();
    Deque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
    Deque<byte[]> free = new ArrayDeque<>();
    Deque<byte[]> used = new ArrayDeque<>();
    for (int i = 0; i < window; i++) {
      free.add(new byte[chunk]);
    }
    try (XrootdFile out = client.openWrite(temporary, true); InputStream in = Files.newInputStream(file)) {
      long offset = 0;
      while (true) {
        if (free.isEmpty()) {
          join(inFlight.removeFirst(), temporary);
          free.add(used.removeFirst());
        }
        byte[] buffer = free.removeFirst();
        int n = in.readNBytes(buffer, 0, buffer.length);
        if (n <= 0) {
          break;
        }
        adler.update(buffer, 0, n);
        inFlight.addLast(out.write(offset, buffer, 0, n));
        used.addLast(buffer);
        offset += n;
      }
      while (!inFlight.isEmpty()) {
        join(inFlight.removeFirst(), temporary);
      }
    }
    return adler.hex();
  }

  private static void join(CompletableFuture<Void> write, XrootdUrl url) throws IOException {
    try {
      write.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw XrootdClient.unwrap(e, "write " + url);
    }
  }

  private void removeQuietly(XrootdUrl temporary) {
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
