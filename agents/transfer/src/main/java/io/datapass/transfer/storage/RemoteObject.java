package io.datapass.transfer.storage;

import io.datapass.transfer.checksum.Checksum;
import java.net.URI;
import java.util.List;

/**
 * What a source says about an object before it is read.
 *
 * @param size bytes, or -1 when the source cannot tell in advance
 * @param version what changes when the object is rewritten (ETag, GCS generation, mtime); "" if
 *     unknown. A partial download is only resumed against the same version.
 * @param checksums checksums the source itself publishes (GCS crc32c and md5), verified after
 *     download
 * @param pending a checksum the server is still computing (XRootD), verified after download; null
 *     if none
 */
public record RemoteObject(
    URI uri, long size, String version, List<Checksum> checksums, PendingChecksum pending) {
  public static final long UNKNOWN_SIZE = -1;

  public RemoteObject {
    version = version == null ? "" : version;
    checksums = List.copyOf(checksums);
  }

  public RemoteObject(URI uri, long size, String version, List<Checksum> checksums) {
    this(uri, size, version, checksums, null);
  }

  public boolean sizeKnown() {
    return size >= 0;
  }
}
