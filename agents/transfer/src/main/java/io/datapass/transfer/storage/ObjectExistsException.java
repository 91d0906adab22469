package io.datapass.transfer.storage;

import java.net.URI;

/**
 * An upload that would replace an object with other content, and was told not to: nothing was
 * replaced.
 */
public final class ObjectExistsException extends TransferException {
  private final URI target;

  public ObjectExistsException(URI target, String message) {
    super(message, false, null);
    this.target = target;
  }

  public URI target() {
    return target;
  }
}
