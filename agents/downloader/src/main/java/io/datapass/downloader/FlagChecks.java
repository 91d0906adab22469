package io.datapass.downloader;

import io.datapass.common.ConfigException;
import io.datapass.common.FileErrors;
import io.datapass.common.Flags;
import io.datapass.transfer.storage.gcs.GcsClients;
import io.datapass.transfer.storage.http.HttpOrigins;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.cli.CommandLine;

/**
 * Flag values checked at start-up, so that a typo is a usage error naming the flag (or the
 * environment variable it came from) rather than an input failing, and retried, later.
 */
final class FlagChecks {
  static final String GCS_ENDPOINT_ENV = "STORAGE_EMULATOR_HOST";
  static final String CREDENTIAL_ORIGINS = "http-credentials-for";
  static final String CREDENTIAL_ORIGINS_ENV = "DATAPASS_HTTP_CREDENTIALS_FOR";

  // "localhost:4443": the emulator convention without a scheme, which the GCS client takes as http.
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+:[0-9]{1,5}");

  private FlagChecks() {}

  /** The GCS endpoint, an absolute http(s) URL with a host (or host:port), or null. */
  static String gcsEndpoint(CommandLine line, Map<String, String> env) throws ConfigException {
    String value = line.getOptionValue("gcs-endpoint", env.get(GCS_ENDPOINT_ENV));
    if (value == null || value.isBlank()) {
      return null;
    }
    String url = HOST_PORT.matcher(value.strip()).matches() ? "http://" + value.strip() : value;
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        requireSafeGcsEndpoint(line, url, env);
        return url;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    String name = line.hasOption("gcs-endpoint") ? "--gcs-endpoint" : GCS_ENDPOINT_ENV;
    throw new ConfigException(
        name + " '" + value + "' is not an http(s) URL with a host, e.g. http://127.0.0.1:4443");
  }

  private static void requireSafeGcsEndpoint(CommandLine line, String url, Map<String, String> env)
      throws ConfigException {
    try {
      GcsClients.requireSafeEndpoint(url, env);
    } catch (IllegalArgumentException e) {
      String name = line.hasOption("gcs-endpoint") ? "--gcs-endpoint" : GCS_ENDPOINT_ENV;
      throw new ConfigException(name + ": " + e.getMessage(), e);
    }
  }

  /**
   * The origins HTTP credentials are for: required with a credentials file, so that a token is
   * never sent to every host a manifest names.
   */
  static Set<String> credentialOrigins(
      CommandLine line, Map<String, String> env, boolean credentialsGiven) throws ConfigException {
    String value = line.getOptionValue(CREDENTIAL_ORIGINS, env.get(CREDENTIAL_ORIGINS_ENV));
    String name =
        line.hasOption(CREDENTIAL_ORIGINS) ? "--" + CREDENTIAL_ORIGINS : CREDENTIAL_ORIGINS_ENV;
    if (value == null || value.isBlank()) {
      if (credentialsGiven) {
        String file =
            line.hasOption("http-basic-auth-file") ? "--http-basic-auth-file" : "--http-token-file";
        throw new ConfigException(
            file
                + " needs --"
                + CREDENTIAL_ORIGINS
                + ": the https origins the credentials are for, e.g. --"
                + CREDENTIAL_ORIGINS
                + " https://data.example.org");
      }
      return Set.of();
    }
    try {
      return HttpOrigins.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + " " + e.getMessage(), e);
    }
  }

  /** A file of secrets that must be readable when given, or null when neither is set. */
  static Path readableFile(CommandLine line, String flag, String envName, Map<String, String> env)
      throws ConfigException {
    Path path = Flags.path(line.getOptionValue(flag, env.get(envName)));
    if (path == null) {
      return null;
    }
    String name = line.hasOption(flag) ? "--" + flag : envName;
    if (Files.isDirectory(path)) {
      throw new ConfigException(name + " " + path + ": a directory, not a file");
    }
    try {
      Files.newByteChannel(path).close();
      return path;
    } catch (IOException e) {
      throw new ConfigException(name + " " + path + ": " + FileErrors.reason(e, path), e);
    }
  }
}
