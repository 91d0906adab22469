package io.datapass.transfer.storage.gcs;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BlobWriteSession;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.UploadStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ExecutionException;

/**
 * A streamed upload to {@code gs://}: a resumable upload session, sent in chunks of the client's
 * default size (16 MiB, the one buffer held in memory). GCS makes the object only when the session
 * is finalized, and the client sends the crc32c of every byte it sent with that last request, for
 * GCS to refuse a mismatch; the stored object's crc32c and size are compared again with what was
 * written here. An aborted session is never finalized: no object appears (GCS drops the session
 * after a week). Without replace, {@code ifGenerationMatch=0} makes GCS refuse (412) to create the
 * object over another.
 */
final class GcsUploadStream extends UploadStream {
  private final Storage storage;
  private final URI target;
  private final boolean replace;
  private final BlobWriteSession session;
  private final WritableByteChannel channel;

  private GcsUploadStream(
      Storage storage,
      URI target,
      boolean replace,
      BlobWriteSession session,
      WritableByteChannel channel) {
    super(ChecksumAlgorithm.CRC32C);
    this.storage = storage;
    this.target = target;
    this.replace = replace;
    this.session = session;
    this.channel = channel;
  }

  static GcsUploadStream open(Storage storage, URI target, boolean replace) throws IOException {
    BlobInfo info = BlobInfo.newBuilder(GcsSource.blobId(target)).build();
    try {
      BlobWriteSession session =
          replace
              ? storage.blobWriteSession(info)
              : storage.blobWriteSession(info, Storage.BlobWriteOption.doesNotExist());
      return new GcsUploadStream(storage, target, replace, session, session.open());
    } catch (StorageException e) {
      throw classify(storage, target, replace, e);
    }
  }

  @Override
  protected void send(byte[] buffer, int offset, int length) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(buffer, offset, length);
    try {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (StorageException e) {
      throw classify(storage, target, replace, e);
    }
  }

  @Override
  protected Checksum finish(Checksum written, long bytes) throws IOException {
    BlobInfo stored;
    try {
      channel.close(); // finalizes the session: the object appears now, whole
      stored = session.getResult().get();
    } catch (StorageException e) {
      throw classify(storage, target, replace, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StorageException storageException) {
        throw classify(storage, target, replace, storageException);
      }
      throw TransferException.retryable("upload to " + target + " failed: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while finishing the upload to " + target);
    }
    Checksum remote =
        stored.getCrc32c() == null
            ? null
            : Checksum.fromBase64(ChecksumAlgorithm.CRC32C, stored.getCrc32c());
    Long size = stored.getSize();
    if (!written.equals(remote) || size == null || size != bytes) {
      deleteQuietly(stored.getBlobId());
      throw TransferException.retryable(
          "stream to "
              + target
              + " corrupted: GCS stored "
              + size
              + " bytes, "
              + remote
              + "; written "
              + bytes
              + " bytes, "
              + written,
          null);
    }
    return remote;
  }

  /** Leaves the session unfinalized: closing the channel would make the object. */
  @Override
  protected void discard() {}

  private void deleteQuietly(BlobId stored) {
    try {
      // this generation only: never another writer's object
      storage.delete(stored, Storage.BlobSourceOption.generationMatch());
    } catch (StorageException ignored) {
      // the retry replaces it
    }
  }

  private static IOException classify(
      Storage storage, URI target, boolean replace, StorageException e) {
    if (!replace && e.getCode() == 412) {
      return new ObjectExistsException(target, target + " already exists; not replaced");
    }
    return GcsErrors.classify(storage, target, e);
  }
}
