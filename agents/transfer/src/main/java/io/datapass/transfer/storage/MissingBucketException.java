package io.datapass.transfer.storage;

import java.net.URI;
import java.util.Optional;

/**
 * The bucket (or other container) an object was to be read from or stored in does not exist: a
 * configuration error that no retry fixes, unlike a missing object a later run may find.
 */
public final class MissingBucketException extends TransferException {
  private final String bucket;

  public MissingBucketException(String bucket, URI object, Throwable cause) {
    super("bucket " + bucket + " does not exist (" + object + ")", false, cause);
    this.bucket = bucket;
  }

  public String bucket() {
    return bucket;
  }

  /** The missing bucket behind {@code failure} (or one of its causes), if that is what failed. */
  public static Optional<MissingBucketException> in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MissingBucketException missing) {
        return Optional.of(missing);
      }
    }
    return Optional.empty();
  }

  /** What a role says: the bucket, and the flag with the value that named it. */
  public String describe(String flag, String value) {
    return "bucket " + bucket + " does not exist (" + flag + " " + value + ")";
  }
}
