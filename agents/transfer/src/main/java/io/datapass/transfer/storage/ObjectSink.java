package io.datapass.transfer.storage;

import io.datapass.transfer.checksum.Checksum;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A place to upload to. An upload is verified by the storage itself before it is reported done, and
 * never leaves a partial object under the final name.
 */
public interface ObjectSink extends AutoCloseable {

  /**
   * Uploads {@code file} to {@code target}. With {@code replace} false, an object already there is
   * never replaced: the upload fails with {@link io.datapass.transfer.ObjectExistsException},
   * decided by the storage at the moment the object appears (a precondition, a hard link) wherever
   * it can be.
   *
   * @return the checksum the storage reports for the stored object, equal to the local one
   */
  Checksum upload(Path file, URI target, boolean replace) throws IOException;

  /**
   * Starts an upload to {@code target} of bytes written as they are made, of a size not known in
   * advance; {@code replace} as for {@link #upload}. Nothing appears under {@code target} before
   * {@link UploadStream#commit} has verified it.
   */
  default UploadStream openUpload(URI target, boolean replace) throws IOException {
    throw TransferException.permanent("no streamed uploads to " + target.getScheme() + ": URIs");
  }

  /**
   * What is stored at {@code target}, with the checksum uploads here are verified by; empty when
   * nothing is.
   */
  Optional<ExistingObject> existing(URI target) throws IOException;

  /** Releases connections; the sink is not used afterwards. */
  @Override
  default void close() throws IOException {}
}
