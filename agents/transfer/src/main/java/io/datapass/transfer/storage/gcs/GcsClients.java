package io.datapass.transfer.storage.gcs;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.datapass.common.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;

/**
 * Builds the GCS client. Credentials come from {@code GOOGLE_APPLICATION_CREDENTIALS} or the other
 * Application Default Credentials; an endpoint (flag, or {@code STORAGE_EMULATOR_HOST}) points it
 * at a non-Google server. The client's own retries are off: the transfer engine retries, resuming
 * from the bytes on disk.
 */
public final class GcsClients {
  static final String EMULATOR_ENV = "STORAGE_EMULATOR_HOST";
  static final String CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS";

  /** Set to {@code allow} to send real credentials to a plain-http endpoint off this host. */
  public static final String PLAIN_HTTP_ENV = "DATAPASS_GCS_PLAIN_HTTP_CREDENTIALS";

  private GcsClients() {}

  /**
   * @param endpoint an explicit endpoint such as {@code http://127.0.0.1:4443}, or null for the
   *     environment's
   */
  public static Storage create(String endpoint, Map<String, String> env) {
    requireSafeEndpoint(endpoint, env);
    String host = endpoint != null ? endpoint : env.get(EMULATOR_ENV);
    StorageOptions.Builder options =
        StorageOptions.newBuilder().setRetrySettings(ServiceOptions.getNoRetrySettings());
    if (host != null && !host.isBlank()) {
      options
          .setHost(host.contains("://") ? host : "http://" + host)
          .setProjectId(env.getOrDefault("GOOGLE_CLOUD_PROJECT", "datapass"));
      if (env.get(CREDENTIALS_ENV) == null) {
        options.setCredentials(NoCredentials.getInstance());
      } else {
        options.setCredentials(applicationDefault());
      }
    }
    return options.build().getService();
  }

  /**
   * {@link #requireSafeEndpoint(String, Map)} as a role checks it at start-up: a usage error naming
   * {@code name}, the flag or variable the endpoint came from, instead of a failed transfer later.
   */
  public static void requireSafeEndpoint(String endpoint, Map<String, String> env, String name)
      throws ConfigException {
    try {
      requireSafeEndpoint(endpoint, env);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses real credentials (from {@code GOOGLE_APPLICATION_CREDENTIALS}) on a plain-http endpoint
   * off this host, where the access token would cross the network in clear; test servers need no
   * credentials. {@value #PLAIN_HTTP_ENV}{@code =allow} permits it.
   *
   * @throws IllegalArgumentException saying what to do
   */
  public static void requireSafeEndpoint(String endpoint, Map<String, String> env) {
    String host = endpoint != null ? endpoint : env.get(EMULATOR_ENV);
    if (host == null || host.isBlank() || env.get(CREDENTIALS_ENV) == null) {
      return;
    }
    URI uri = URI.create(host.contains("://") ? host.strip() : "http://" + host.strip());
    boolean plain = "http".equalsIgnoreCase(uri.getScheme());
    boolean loopback =
        uri.getHost() != null
            && (uri.getHost().equals("localhost")
                || uri.getHost().startsWith("127.")
                || uri.getHost().equals("[::1]"));
    if (plain && !loopback && !"allow".equals(env.get(PLAIN_HTTP_ENV))) {
      throw new IllegalArgumentException(
          "the GCS endpoint "
              + host
              + " is plain http: the credentials of "
              + CREDENTIALS_ENV
              + " would travel in clear; use https, unset "
              + CREDENTIALS_ENV
              + " for a test server, or set "
              + PLAIN_HTTP_ENV
              + "=allow");
    }
  }

  /** Closes a client built here; its checked {@code Exception} becomes an {@link IOException}. */
  public static void close(Storage storage) throws IOException {
    try {
      storage.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("closing the GCS client: " + e.getMessage(), e);
    }
  }

  private static GoogleCredentials applicationDefault() {
    try {
      return GoogleCredentials.getApplicationDefault();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load Google credentials: " + e.getMessage(), e);
    }
  }
}
