package io.datapass.transfer.source;

import io.datapass.transfer.TransferException;
import java.net.URI;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Implementations by URI scheme, created on first use (so a job without {@code gs://} never looks for Google
 * credentials). New schemes plug in here without callers changing.
 *
 * @param <T> what is registered (sources, sinks)
 * @param <R> the concrete registry, for chained {@link #register} calls
 */
abstract class SchemeRegistry<T, R extends SchemeRegistry<T, R>> {
  private final Map<String, Supplier<T>> factories = new TreeMap<>();
  private final Map<String, T> created = new TreeMap<>();
  private final String what;

  SchemeRegistry(String what) {
    this.what = what;
  }

  @SuppressWarnings("unchecked")
  public R register(String scheme, Supplier<T> factory) {
    factories.put(scheme.toLowerCase(Locale.ROOT), factory);
    return (R) this;
  }

  synchronized T lookup(URI uri) throws TransferException {
    String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
    Supplier<T> factory = factories.get(scheme);
    if (factory == null) {
      throw TransferException.permanent(
          "no " + what + " for scheme '" + scheme + "' in " + uri + " (supported: " + factories.keySet() + ")");
    }
    return created.computeIfAbsent(scheme, s -> factory.get());
  }

  public Set<String> schemes() {
    return Collections.unmodifiableSet(factories.keySet());
  }

  public boolean supports(String scheme) {
    return scheme != null && factories.containsKey(scheme.toLowerCase(Locale.ROOT));
  }
}
