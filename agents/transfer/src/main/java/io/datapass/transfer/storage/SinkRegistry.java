package io.datapass.transfer.storage;

import java.net.URI;

/** The sinks to upload to, by URI scheme. */
public final class SinkRegistry extends SchemeRegistry<ObjectSink, SinkRegistry> {
  public SinkRegistry() {
    super("sink");
  }

  public ObjectSink sinkFor(URI uri) throws TransferException {
    return lookup(uri);
  }
}
