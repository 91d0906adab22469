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
 * ifGenerationMatch=0}: GCS refuses it (412) if the object exists; one that replaces a given object
 * carries that object's generation.
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
    if (!replace) {
      return uploadReplacing(file, target, null).checksum();
    }
    try {
      return store(file, target, Storage.BlobWriteOption.crc32cMatch()).checksum();
    } catch (StorageException e) {
      throw GcsErrors.classify(storage, target, e);
    }
  }

  /**
   * With {@code ifGenerationMatch}: 0 where nothing may be stored yet, else the generation of
   * {@code expected} (looked up first when it has none), so that GCS itself refuses (412) when
   * another writer came first.
   */
  @Override
  public ExistingObject uploadReplacing(Path file, URI target, ExistingObject expected)
      throws IOException {
    long generation = expected == null ? 0 : generationOf(target, expected);
    try {
      return store(
          file,
          target,
          Storage.BlobWriteOption.crc32cMatch(),
          Storage.BlobWriteOption.generationMatch(generation));
    } catch (StorageException e) {
      if (e.getCode() == 412) {
        throw new ObjectExistsException(
            target,
            expected == null
                ? target + " already exists; not replaced"
                : target + " no longer holds " + expected + "; not replaced");
      }
      throw GcsErrors.classify(storage, target, e);
    }
  }

  /**
   * Looks first, then deletes with the generation seen as precondition (412 when another writer
   * came between; fake-gcs-server ignores that precondition on deletes, so its tests see the look).
   */
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
      storage.delete(
          GcsSource.blobId(target),
          Storage.BlobSourceOption.generationMatch(now.get().generation()));
    } catch (StorageException e) {
      if (e.getCode() == 412) {
        throw new ObjectExistsException(
            target, target + " no longer holds " + expected + "; not deleted");
      }
      throw GcsErrors.classify(storage, target, e);
    }
  }

  private long generationOf(URI target, ExistingObject expected) throws IOException {
    if (expected.generation() != null) {
      return expected.generation();
    }
    Optional<ExistingObject> now = existing(target);
    if (now.isEmpty() || !now.get().isSameObject(expected)) {
      throw new ObjectExistsException(
          target, target + " no longer holds " + expected + "; not replaced");
    }
    return now.get().generation();
  }

  /**
   * Uploads with the file's crc32c, for GCS to refuse bytes that do not match it, and compares the
   * stored object's crc32c again; a stored object that does not match is deleted.
   *
   * @throws StorageException as GCS answered, for the caller to classify
   */
  private ExistingObject store(Path file, URI target, Storage.BlobWriteOption... options)
      throws IOException {
    Checksum local;
    try (FileChannel in = LocalFiles.openToRead(file)) {
      local = ChecksumAlgorithm.CRC32C.of(in);
    }
    // The client reads the file again by its path (its upload from a path streams it and can
    // rewind; from a channel it buffers whole chunks in the heap). Bytes read through a link
    // swapped in since cannot be stored: GCS refuses any that do not match this crc32c.
    BlobInfo info = BlobInfo.newBuilder(GcsSource.blobId(target)).setCrc32c(local.base64()).build();
    Blob stored = storage.createFrom(info, file, options);
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
    long bytes = stored.getSize() != null ? stored.getSize() : LocalFiles.size(file);
    return new ExistingObject(bytes, remote, stored.getGeneration());
  }

  @Override
  public Optional<ExistingObject> existing(URI target) throws IOException {
    Blob blob;
    try {
      blob = storage.get(GcsSource.blobId(target));
    } catch (StorageException e) {
      throw GcsErrors.classify(storage, target, e);
    }
    if (blob == null) {
      return Optional.empty();
    }
    if (blob.getCrc32c() == null || blob.getSize() == null) {
      throw TransferException.permanent("GCS keeps no crc32c or size for " + target);
    }
    return Optional.of(
        new ExistingObject(
            blob.getSize(),
            Checksum.fromBase64(ChecksumAlgorithm.CRC32C, blob.getCrc32c()),
            blob.getGeneration()));
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
