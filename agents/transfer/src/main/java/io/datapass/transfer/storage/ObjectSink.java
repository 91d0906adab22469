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

  /**
   * Uploads {@code file} to {@code target} in place of {@code expected}, an object stored there
   * before (as {@link #existing} or this method described it), or where nothing is stored when
   * {@code expected} is null: only while {@code target} still holds exactly that, else it fails
   * with {@link ObjectExistsException} and replaces nothing. Decided by the storage at the moment
   * the object takes the name where it can (GCS: its generation as a precondition); other sinks
   * look just before they rename their verified copy into place.
   *
   * @return what {@code target} holds now, with its generation where the storage keeps one
   */
  default ExistingObject uploadReplacing(Path file, URI target, ExistingObject expected)
      throws IOException {
    if (expected != null) {
      throw TransferException.permanent(
          target + ": this storage cannot replace an object only while it holds given bytes");
    }
    return new ExistingObject(LocalFiles.size(file), upload(file, target, false));
  }

  /**
   * Deletes {@code expected}, the object at {@code target}, only while {@code target} still holds
   * it (decided as {@link #uploadReplacing} decides); nothing there is no failure.
   *
   * @throws ObjectExistsException {@code target} holds another object, which is kept
   */
  default void deleteIfHolds(URI target, ExistingObject expected) throws IOException {
    throw TransferException.permanent(
        target + ": this storage cannot delete an object only while it holds given bytes");
  }

  /** Releases connections; the sink is not used afterwards. */
  @Override
  default void close() throws IOException {}
}
