package io.datapass.transfer;

import io.datapass.transfer.storage.ObjectSource;
import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.file.FileSink;
import io.datapass.transfer.storage.file.FileSource;
import io.datapass.transfer.storage.gcs.GcsSink;
import io.datapass.transfer.storage.gcs.GcsSource;
import io.datapass.transfer.storage.http.HttpCredentials;
import io.datapass.transfer.storage.http.HttpSource;
import io.datapass.transfer.storage.xrootd.XrootdSink;
import io.datapass.transfer.storage.xrootd.XrootdSource;
import io.datapass.xrootd.XrootdClient;
import io.datapass.xrootd.XrootdSettings;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one place that wires each URI scheme to its source and sink, from what a role knows. Roles
 * ask for a registry and never construct storage clients themselves.
 */
public final class StorageClients {
  /**
   * An upload to {@code root://} keeps 4 writes of 8 MiB in flight: the same 32 MiB a download
   * keeps as read-ahead. The bytes go from the page cache to the socket (sendfile), so none of it
   * is heap.
   */
  static final int XROOTD_UPLOAD_CHUNK = 8 << 20;

  static final int XROOTD_UPLOAD_WINDOW = 4;

  private StorageClients() {}

  /**
   * What the storage clients need to know.
   *
   * @param gcsEndpoint a GCS JSON-API endpoint for non-Google servers, or null for Google's
   * @param httpCredentials sent to {@code http(s)://} sources, or null
   * @param parallel transfers run at once: they share the XRootD read-ahead
   * @param env the process environment (Google credentials are found through it)
   */
  public record Settings(
      String gcsEndpoint, HttpCredentials httpCredentials, int parallel, Map<String, String> env) {}

  /**
   * Sources for {@code http}, {@code https}, {@code file}, {@code gs} and {@code root}, each built
   * on first use.
   */
  public static SourceRegistry sources(Settings settings) {
    Supplier<ObjectSource> http =
        once(
            () ->
                new HttpSource(settings.httpCredentials())
                    .allowingHttpsToHttpRedirects(
                        "allow".equals(settings.env().get(HttpSource.ALLOW_DOWNGRADE_ENV))));
    return new SourceRegistry()
        .register("http", http)
        .register("https", http)
        .register("file", FileSource::new)
        .register("gs", () -> GcsSource.connect(settings.gcsEndpoint(), settings.env()))
        .register(
            "root",
            () ->
                XrootdSource.sharingReadAhead(
                    new XrootdClient(XrootdSettings.defaults()), settings.parallel()));
  }

  /**
   * Sinks for {@code file} (a mounted filesystem), {@code gs} and {@code root}, each built on first
   * use.
   */
  public static SinkRegistry sinks(Settings settings) {
    return new SinkRegistry()
        .register("file", FileSink::new)
        .register("gs", () -> GcsSink.connect(settings.gcsEndpoint(), settings.env()))
        .register(
            "root",
            () ->
                new XrootdSink(
                    new XrootdClient(XrootdSettings.defaults()),
                    XROOTD_UPLOAD_CHUNK,
                    XROOTD_UPLOAD_WINDOW));
  }

  /** Builds the value on first use only, once for the schemes that share it. */
  private static <T> Supplier<T> once(Supplier<T> factory) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = factory.get();
        }
        return value;
      }
    };
  }
}
