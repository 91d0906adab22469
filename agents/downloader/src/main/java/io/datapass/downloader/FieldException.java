package io.datapass.downloader;

/**
 * A bad value of one field of a manifest input, thrown while the input is read so that the message
 * can name the field's whole path ({@code inputs[1].source}).
 */
final class FieldException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  FieldException(String field, String message, Throwable cause) {
    super(message, cause);
    this.field = field;
  }

  FieldException(String field, String message) {
    this(field, message, null);
  }

  /** The field's name within its input: {@code source}, {@code checksum}. */
  String field() {
    return field;
  }
}
