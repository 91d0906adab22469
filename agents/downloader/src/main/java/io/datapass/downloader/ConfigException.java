package io.datapass.downloader;

/** Bad flags or a bad manifest: exit 2, never worth a retry. The message names the offending field or file. */
final class ConfigException extends Exception {
  ConfigException(String message) {
    super(message);
  }

  ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
