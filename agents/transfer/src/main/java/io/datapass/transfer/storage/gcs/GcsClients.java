package io.datapass.transfer.storage.gcs;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  private GcsClients() {}

  /**
   * @param endpoint an explicit endpoint such as {@code http://127.0.0.1:4443}, or null for the
   *     environment's
   */
  public static Storage create(String endpoint, Map<String, String> env) {
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
