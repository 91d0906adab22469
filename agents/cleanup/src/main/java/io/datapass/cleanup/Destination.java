package io.datapass.cleanup;

import io.datapass.cleanup.CleanupReport.StoredObject;
import io.datapass.transfer.storage.ExistingObject;
import io.datapass.transfer.storage.ObjectSource;
import io.datapass.transfer.storage.OpenedStream;
import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.UploadPrefix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The prefix the outputs go under: where each one goes, and what an earlier run of the job stored
 * there.
 */
final class Destination {
  /** Far more than a manifest of a million files: anything larger is not one of ours. */
  private static final int MANIFEST_LIMIT = 256 << 20;

  private final URI prefix;
  private final SinkRegistry sinks;
  private final SourceRegistry sources;

  Destination(URI prefix, SinkRegistry sinks, SourceRegistry sources) {
    this.prefix = prefix;
    this.sinks = sinks;
    this.sources = sources;
  }

  /**
   * {@code prefix} (ending in '/') with {@code name} appended to its path; its query (CGI) kept.
   */
  URI resolve(String name) {
    return UploadPrefix.under(prefix, name);
  }

  /** The manifest an earlier run stored under {@code name}, if there is one. */
  Optional<OutputManifest> storedManifest(String name) throws IOException {
    URI uri = resolve(name);
    Optional<ExistingObject> existing = sinks.sinkFor(uri).existing(uri);
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    if (existing.get().bytes() > MANIFEST_LIMIT) {
      throw new ConflictException(
          UploadPrefix.withoutQuery(uri)
              + " is not a manifest of this agent ("
              + existing.get().bytes()
              + " bytes)");
    }
    byte[] json = read(uri);
    try {
      return Optional.of(OutputManifest.parse(json));
    } catch (IOException e) {
      throw new ConflictException(
          UploadPrefix.withoutQuery(uri) + " is not a manifest of this agent: " + e.getMessage());
    }
  }

  /**
   * Empty when every object {@code manifest} lists is stored under this prefix as it says; else
   * what is not.
   */
  Optional<String> firstNotStored(OutputManifest manifest, String job) throws IOException {
    String base = UploadPrefix.withoutQuery(prefix);
    Optional<String> missing = manifest.firstMissingObject(base, job);
    if (missing.isPresent()) {
      return missing;
    }
    for (StoredObject object : manifest.objects()) {
      if (!object.target().startsWith(base)) {
        return Optional.of(object.target() + " is not under " + base);
      }
      URI uri = resolve(object.target().substring(base.length()));
      Optional<ExistingObject> stored = sinks.sinkFor(uri).existing(uri);
      if (stored.isEmpty()) {
        return Optional.of(object.target() + " is missing");
      }
      if (stored.get().bytes() != object.bytes()
          || !stored.get().checksum().toString().equals(object.checksum())) {
        return Optional.of(
            object.target()
                + " holds "
                + stored.get()
                + ", not "
                + object.bytes()
                + " bytes, "
                + object.checksum());
      }
    }
    return Optional.empty();
  }

  private byte[] read(URI uri) throws IOException {
    ObjectSource source = sources.sourceFor(uri);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
    try (OpenedStream in = source.open(source.stat(uri), 0)) {
      while (in.channel().read(buffer.clear()) >= 0) {
        bytes.write(buffer.array(), 0, buffer.position());
        if (bytes.size() > MANIFEST_LIMIT) {
          throw TransferException.permanent(
              UploadPrefix.withoutQuery(uri) + " grew past " + MANIFEST_LIMIT + " bytes");
        }
      }
    }
    return bytes.toByteArray();
  }

  /**
   * What is stored under the prefix is not what this run would store, and must not be replaced:
   * exit 2.
   */
  static final class ConflictException extends IOException {
    private static final long serialVersionUID = 1L;

    ConflictException(String message) {
      super(message);
    }
  }
}
