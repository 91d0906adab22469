package io.datapass.transfer.storage.gcs;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.datapass.transfer.storage.MissingBucketException;
import io.datapass.transfer.storage.TransferException;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * What a GCS answer means for a transfer: transient or final, and a missing bucket told apart from
 * a missing object (a configuration error, exit 2, where a missing object is the work failing).
 */
final class GcsErrors {
  private GcsErrors() {}

  static TransferException classify(Storage storage, URI uri, StorageException e) {
    int code = e.getCode();
    String what = "GCS " + (code > 0 ? "HTTP " + code : "error") + " for " + uri + ": " + reason(e);
    if (code == 404) {
      return notFound(storage, uri, e);
    }
    if (code == 401 || code == 403) {
      return TransferException.permanent(
          "access denied (" + what + "); check the service-account key", e);
    }
    boolean retryable = e.isRetryable() || code == 0 || code == 408 || code == 429 || code >= 500;
    return new TransferException(what, retryable, e);
  }

  /**
   * A 404 for {@code uri}: GCS says "The specified bucket does not exist" when it is the bucket
   * that is missing, fake-gcs-server answers the same "Not Found" for both, so the bucket is looked
   * up; a lookup that fails (a key allowed objects but not bucket metadata) leaves it an object.
   */
  static TransferException notFound(Storage storage, URI uri, Throwable cause) {
    String bucket = uri.getAuthority();
    boolean saysBucket =
        cause != null
            && cause.getMessage() != null
            && cause.getMessage().contains("bucket does not exist");
    if (saysBucket || bucketMissing(storage, bucket)) {
      return new MissingBucketException(bucket, uri, cause);
    }
    return TransferException.permanent("object not found: " + uri, cause);
  }

  private static boolean bucketMissing(Storage storage, String bucket) {
    try {
      return bucket != null && storage.get(bucket) == null;
    } catch (StorageException e) {
      return false;
    }
  }

  /** The client's text, except for an unknown host, whose text is the bare host name. */
  private static String reason(StorageException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return "unknown host "
            + t.getMessage()
            + " (check this machine's network and DNS, or point --gcs-endpoint or"
            + " STORAGE_EMULATOR_HOST at the server meant)";
      }
    }
    return e.getMessage();
  }
}
