package io.datapass.common;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Why a file operation failed, in a few words, to follow a message that names the path. */
public final class FileErrors {
  private FileErrors() {}

  /**
   * @param path the path the message names: the JDK's own text repeats it ("PATH: REASON"); null
   *     when the message names none, so the reason says which file
   */
  public static String reason(IOException e, Path path) {
    String reason;
    if (e instanceof NoSuchFileException) {
      reason = "no such file";
    } else if (e instanceof AccessDeniedException) {
      reason = "permission denied";
    } else if (e instanceof FileAlreadyExistsException) {
      reason = "a file is in the way";
    } else if (e instanceof FileSystemException f && f.getReason() != null) {
      reason = f.getReason().toLowerCase(Locale.ROOT);
    } else {
      return e.getMessage() == null ? e.toString() : e.getMessage();
    }
    String file = ((FileSystemException) e).getFile();
    return file == null || Path.of(file).equals(path) ? reason : file + ": " + reason;
  }
}
