package io.datapass.transfer.storage;

import io.datapass.transfer.checksum.Checksum;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * A place to upload to. An upload is verified by the storage itself before it is reported done, and never leaves
 * a partial object under the final name.
 */
public interface ObjectSink extends AutoCloseable {

  /**
   * Uploads {@code file} to {@code target}, replacing what is there.
   *
   * @return the checksum the storage reports for the stored object, equal to the local one
   */
  Checksum upload(Path file, URI target) throws IOException;

  /** Releases connections; the sink is not used afterwards. */
  @Override
  default void close() throws IOException {}
}
