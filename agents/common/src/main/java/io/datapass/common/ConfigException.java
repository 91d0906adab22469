package io.datapass.common;

/**
 * Bad flags, environment or configuration file: exit 2, never worth a retry. The message names what
 * is wrong.
 */
public class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
