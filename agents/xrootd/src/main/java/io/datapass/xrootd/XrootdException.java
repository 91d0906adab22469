package io.datapass.xrootd;

import java.io.IOException;
import java.util.Set;

/** An error answered by an XRootD server (kXR_error), with the server's code and message. */
public class XrootdException extends IOException {
  public static final int ARG_INVALID = 3000;
  public static final int FS_ERROR = 3005;
  public static final int IO_ERROR = 3007;
  public static final int NOT_AUTHORIZED = 3010;
  public static final int NOT_FOUND = 3011;
  public static final int SERVER_ERROR = 3012;
  public static final int UNSUPPORTED = 3013;
  public static final int NO_SERVER = 3014;
  public static final int IS_DIRECTORY = 3016;
  public static final int ITEM_EXISTS = 3018;
  public static final int CHECKSUM_ERROR = 3019;
  public static final int OVERLOADED = 3024;
  public static final int AUTH_FAILED = 3030;
  public static final int REQUEST_TIMED_OUT = 3034;

  private static final Set<Integer> TRANSIENT =
      Set.of(FS_ERROR, IO_ERROR, SERVER_ERROR, NO_SERVER, OVERLOADED, 3029, REQUEST_TIMED_OUT);

  private final int code;
  private final String serverMessage;

  public XrootdException(int code, String serverMessage, String context) {
    super(context + ": " + describe(code) + " (" + code + "): " + serverMessage);
    this.code = code;
    this.serverMessage = serverMessage;
  }

  public int code() {
    return code;
  }

  public String serverMessage() {
    return serverMessage;
  }

  /** True for codes where another attempt (or another replica) may succeed. */
  public boolean isTransient() {
    return TRANSIENT.contains(code);
  }

  private static String describe(int code) {
    return switch (code) {
      case NOT_FOUND -> "not found";
      case NOT_AUTHORIZED -> "permission denied";
      case IS_DIRECTORY -> "is a directory";
      case ITEM_EXISTS -> "already exists";
      case UNSUPPORTED -> "not supported";
      case AUTH_FAILED -> "authentication failed";
      case CHECKSUM_ERROR -> "checksum error";
      case REQUEST_TIMED_OUT -> "timed out";
      default -> "server error";
    };
  }
}
