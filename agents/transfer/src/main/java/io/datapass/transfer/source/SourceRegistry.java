package io.datapass.transfer.source;

import io.datapass.transfer.TransferException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The sources by URI scheme. New schemes plug in here ({@code root://} does) without callers changing.
 * Sources are created on first use, so a job without {@code gs://} inputs never looks for Google credentials.
 */
public final class SourceRegistry {
  private final Map<String, Supplier<ObjectSource>> factories = new TreeMap<>();
  private final Map<String, ObjectSource> created = new TreeMap<>();

  public SourceRegistry register(String scheme, Supplier<ObjectSource> factory) {
    factories.put(scheme.toLowerCase(Locale.ROOT), factory);
    return this;
  }

  public synchronized ObjectSource sourceFor(URI uri) throws TransferException {
    String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
    Supplier<ObjectSource> factory = factories.get(scheme);
    if (factory == null) {
      throw TransferException.permanent(
          "no source for scheme '" + scheme + "' in " + uri + " (supported: " + factories.keySet() + ")");
    }
    return created.computeIfAbsent(scheme, s -> factory.get());
  }

  public java.util.Set<String> schemes() {
    return java.util.Collections.unmodifiableSet(factories.keySet());
  }

  public boolean supports(String scheme) {
    return factories.containsKey(scheme.toLowerCase(Locale.ROOT));
  }
}
