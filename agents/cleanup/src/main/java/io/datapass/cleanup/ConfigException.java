package io.datapass.cleanup;

/** Bad flags or environment: exit code 2, not retried. The message names the offending flag or variable. */
final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  ConfigException(String message) {
    super(message);
  }
}
