package io.datapass.transfer.storage;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * One storage scheme ({@code http}, {@code gs}, {@code file}, {@code root}, ...) as the transfer
 * engine sees it. Failures are {@link io.datapass.transfer.storage.TransferException}s that say
 * whether a retry may help, or plain {@link IOException}s, which count as transient (but for a full
 * disk).
 */
public interface ObjectSource extends AutoCloseable {

  RemoteObject stat(URI uri) throws IOException;

  /** Opens the object for reading from {@code offset}; see {@link OpenedStream#offset()}. */
  OpenedStream open(RemoteObject object, long offset) throws IOException;

  /**
   * The objects below a directory-like location ({@code gs://bucket/prefix/}, {@code /data/dir/}),
   * as absolute URIs in a stable order. Sources that have no such notion refuse.
   */
  default List<URI> list(URI directory) throws IOException {
    throw io.datapass.transfer.storage.TransferException.permanent(
        "listing is not supported for " + directory.getScheme() + ": " + directory);
  }

  /** Releases connections; the source is not used afterwards. */
  @Override
  default void close() throws IOException {}
}
