package io.datapass.transfer.storage;

import java.net.URI;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Implementations by URI scheme, created on first use (so a job without {@code gs://} never looks
 * for Google credentials). New schemes plug in here without callers changing.
 *
 * @param <T> what is registered (sources, sinks)
 * @param <R> the concrete registry, for chained {@link #register} calls
 */
abstract class SchemeRegistry<T extends AutoCloseable, R extends SchemeRegistry<T, R>>
    implements AutoCloseable {
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
          "no "
              + what
              + " for scheme '"
              + scheme
              + "' in "
              + uri
              + " (supported: "
              + factories.keySet()
              + ")");
    }
    return created.computeIfAbsent(scheme, s -> factory.get());
  }

  public Set<String> schemes() {
    return Collections.unmodifiableSet(factories.keySet());
  }

  public boolean supports(String scheme) {
    return scheme != null && factories.containsKey(scheme.toLowerCase(Locale.ROOT));
  }

  /**
   * Closes what was created (connections, their reader threads: a thread blocked in a socket read
   * holds up JVM exit by 0.3 s). Failures to close are ignored: by now the transfers' outcome is
   * settled.
   */
  @Override
  public synchronized void close() {
    Set<T> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
    distinct.addAll(created.values());
    created.clear();
    for (T value : distinct) {
      try {
        value.close();
      } catch (Exception ignored) {
        // nothing left to protect
      }
    }
  }
}
