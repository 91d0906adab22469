package io.datapass.transfer.storage;

import java.net.URI;

/** The sources to read from, by URI scheme. */
public final class SourceRegistry extends SchemeRegistry<ObjectSource, SourceRegistry> {
  public SourceRegistry() {
    super("source");
  }

  public ObjectSource sourceFor(URI uri) throws TransferException {
    return lookup(uri);
  }
}
