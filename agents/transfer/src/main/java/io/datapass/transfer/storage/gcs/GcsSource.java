package io.datapass.transfer.storage.gcs;

import com.google.auth.Credentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.Locations;
import io.datapass.transfer.storage.ObjectSource;
import io.datapass.transfer.storage.OpenedStream;
import io.datapass.transfer.storage.RemoteObject;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.http.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code gs://bucket/object}. Metadata and listings come from google-cloud-storage; the bytes are
 * read from the JSON API's media URL over {@link HttpTransport}, with the client's credentials and
 * endpoint, because the client's read channel cost 1.5-2 s of CPU per GiB (bench/download). Reads
 * pin the generation seen at stat time, so a resumed download never mixes two versions of an
 * object; GCS's own crc32c (or md5) is verified afterwards.
 */
public final class GcsSource implements ObjectSource {
  private static final String ACCESS_HINT = "check the service-account key";

  private final Storage storage;
  private final HttpTransport media = HttpTransport.withDefaultTimeouts();

  public GcsSource(Storage storage) {
    this.storage = storage;
  }

  /** A source on a client built by {@link GcsClients#create}. */
  public static GcsSource connect(String endpoint, java.util.Map<String, String> env) {
    return new GcsSource(GcsClients.create(endpoint, env));
  }

  @Override
  public RemoteObject stat(URI uri) throws IOException {
    BlobId id = blobId(uri);
    Blob blob;
    try {
      blob = storage.get(id);
    } catch (StorageException e) {
      throw GcsErrors.classify(storage, uri, e);
    }
    if (blob == null) {
      throw GcsErrors.notFound(storage, uri, null);
    }
    // crc32c is what GCS keeps for every object and costs almost nothing to compute (md5 would cost
    // 2-3 s of CPU
    // per GiB here); md5 only for objects without one.
    List<Checksum> checksums = new ArrayList<>();
    if (blob.getCrc32c() != null) {
      checksums.add(Checksum.fromBase64(ChecksumAlgorithm.CRC32C, blob.getCrc32c()));
    } else if (blob.getMd5() != null) {
      checksums.add(Checksum.fromBase64(ChecksumAlgorithm.MD5, blob.getMd5()));
    }
    long size = blob.getSize() == null ? RemoteObject.UNKNOWN_SIZE : blob.getSize();
    String generation = blob.getGeneration() == null ? "" : blob.getGeneration().toString();
    return new RemoteObject(uri, size, generation, checksums);
  }

  @Override
  public OpenedStream open(RemoteObject object, long offset) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>(authorization());
    // The stored bytes, as the checksums describe them: no decompressive transcoding of gzip
    // objects.
    headers.put("Accept-Encoding", "gzip");
    if (offset > 0) {
      headers.put("Range", "bytes=" + offset + "-");
    }
    URI url = mediaUrl(blobId(object.uri()), object.version());
    return media.send(url, "GET", headers).bodyFrom(offset, object.uri(), ACCESS_HINT);
  }

  /**
   * The JSON API media URL of the object at {@code generation} ("" for the live one) on the
   * client's host.
   */
  URI mediaUrl(BlobId id, String generation) {
    String host = storage.getOptions().getHost().replaceAll("/+$", "");
    String url =
        host
            + "/storage/v1/b/"
            + encodePathSegment(id.getBucket())
            + "/o/"
            + encodePathSegment(id.getName())
            + "?alt=media"
            + (generation.isEmpty() ? "" : "&generation=" + generation);
    return URI.create(url);
  }

  private Map<String, String> authorization() throws IOException {
    Credentials credentials = storage.getOptions().getScopedCredentials();
    if (credentials == null || credentials instanceof NoCredentials) {
      return Map.of();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    credentials
        .getRequestMetadata(URI.create(storage.getOptions().getHost()))
        .forEach((name, values) -> headers.put(name, String.join(",", values)));
    return headers;
  }

  /**
   * Percent-encodes everything but RFC 3986 unreserved characters, '/' included, as the JSON API
   * expects.
   */
  static String encodePathSegment(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c >= 'A' && c <= 'Z'
          || c >= 'a' && c <= 'z'
          || c >= '0' && c <= '9'
          || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  @Override
  public List<URI> list(URI directory) throws IOException {
    BlobId prefix = blobId(directory);
    List<URI> objects = new ArrayList<>();
    try {
      for (Blob blob :
          storage
              .list(prefix.getBucket(), Storage.BlobListOption.prefix(prefix.getName()))
              .iterateAll()) {
        if (!blob.getName().endsWith("/")) {
          objects.add(uriOf(prefix.getBucket(), blob.getName()));
        }
      }
    } catch (StorageException e) {
      throw GcsErrors.classify(storage, directory, e);
    }
    if (objects.isEmpty()) {
      throw TransferException.permanent("no objects under " + directory);
    }
    return objects;
  }

  @Override
  public void close() throws IOException {
    GcsClients.close(storage);
  }

  static BlobId blobId(URI uri) throws TransferException {
    String bucket = uri.getAuthority();
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (bucket == null || bucket.isEmpty() || !path.startsWith("/")) {
      throw TransferException.permanent("expected gs://bucket/object, got " + uri);
    }
    return BlobId.of(bucket, path.substring(1));
  }

  static URI uriOf(String bucket, String name) {
    return Locations.parse("gs://" + bucket + "/" + name);
  }
}
