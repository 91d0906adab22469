package io.datapass.transfer.storage.gcs;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.ExistingObject;
import io.datapass.transfer.storage.LocalFiles;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.ObjectSink;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.UploadStream;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Uploads to {@code gs://}. GCS makes an object visible only once it is whole, so no temporary name
 * is needed. The file's crc32c goes with the upload, for GCS to refuse bytes that do not match it;
 * the stored object's crc32c is compared again before the upload counts as done, and a stored
 * object that does not match is deleted. An upload that must not replace carries {@code
 * ifGenerationMatch=0}: GCS refuses it (412) if the object exists.
 */
public final class GcsSink implements ObjectSink {
  private final Storage storage;

  public GcsSink(Storage storage) {
    this.storage = storage;
  }

  /** A sink on a client built by {@link GcsClients#create}. */
  public static GcsSink connect(String endpoint, Map<String, String> env) {
    return new GcsSink(GcsClients.create(endpoint, env));
  }

  @Override
  public Checksum upload(Path file, URI target, boolean replace) throws IOException {
    BlobId id = GcsSource.blobId(target);
    Checksum local;
    try (FileChannel in = LocalFiles.openToRead(file)) {
      local = ChecksumAlgorithm.CRC32C.of(in);
    }
    // The client reads the file again by its path (its upload from a path streams it and can
    // rewind; from a channel it buffers whole chunks in the heap). Bytes read through a link
    // swapped in since cannot be stored: GCS refuses any that do not match this crc32c.
    BlobInfo info = BlobInfo.newBuilder(id).setCrc32c(local.base64()).build();
    Blob stored;
    try {
      stored =
          replace
              ? storage.createFrom(info, file, Storage.BlobWriteOption.crc32cMatch())
              : storage.createFrom(
                  info,
                  file,
                  Storage.BlobWriteOption.crc32cMatch(),
                  Storage.BlobWriteOption.doesNotExist());
    } catch (StorageException e) {
      if (!replace && e.getCode() == 412) {
        throw new ObjectExistsException(target, target + " already exists; not replaced");
      }
      throw GcsSource.classify(target, e);
    }
    Checksum remote =
        stored.getCrc32c() == null
            ? null
            : Checksum.fromBase64(ChecksumAlgorithm.CRC32C, stored.getCrc32c());
    if (!local.equals(remote)) {
      deleteQuietly(stored.getBlobId());
      throw TransferException.retryable(
          "upload of "
              + file
              + " to "
              + target
              + " corrupted: GCS stored "
              + remote
              + ", local "
              + local,
          null);
    }
    return remote;
  }

  @Override
  public Optional<ExistingObject> existing(URI target) throws IOException {
    Blob blob;
    try {
      blob = storage.get(GcsSource.blobId(target));
    } catch (StorageException e) {
      throw GcsSource.classify(target, e);
    }
    if (blob == null) {
      return Optional.empty();
    }
    if (blob.getCrc32c() == null || blob.getSize() == null) {
      throw TransferException.permanent("GCS keeps no crc32c or size for " + target);
    }
    return Optional.of(
        new ExistingObject(
            blob.getSize(), Checksum.fromBase64(ChecksumAlgorithm.CRC32C, blob.getCrc32c())));
  }

  @Override
  public UploadStream openUpload(URI target, boolean replace) throws IOException {
    return GcsUploadStream.open(storage, target, replace);
  }

  private void deleteQuietly(BlobId stored) {
    try {
      storage.delete(stored);
    } catch (StorageException ignored) {
      // the retry replaces it
    }
  }

  @Override
  public void close() throws IOException {
    GcsClients.close(storage);
  }
}
