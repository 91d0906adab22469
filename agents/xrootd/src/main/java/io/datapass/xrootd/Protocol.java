package io.datapass.xrootd;

/** Wire constants of the XRootD protocol (version 5, as in XProtocol.hh). */
final class Protocol {
  static final int VERSION = 0x511;
  static final int DEFAULT_PORT = 1094;

  // request ids
  static final int AUTH = 3000;
  static final int QUERY = 3001;
  static final int CLOSE = 3003;
  static final int DIRLIST = 3004;
  static final int PROTOCOL = 3006;
  static final int LOGIN = 3007;
  static final int MKDIR = 3008;
  static final int MV = 3009;
  static final int OPEN = 3010;
  static final int PING = 3011;
  static final int READ = 3013;
  static final int RM = 3014;
  static final int RMDIR = 3015;
  static final int SYNC = 3016;
  static final int STAT = 3017;
  static final int WRITE = 3019;
  static final int READV = 3025;

  // response status
  static final int OK = 0;
  static final int OK_SO_FAR = 4000;
  static final int ATTN = 4001;
  static final int AUTH_MORE = 4002;
  static final int ERROR = 4003;
  static final int REDIRECT = 4004;
  static final int WAIT = 4005;
  static final int WAIT_RESP = 4006;
  static final int ASYNC_RESPONSE = 5008;

  // kXR_open options
  static final int OPEN_DELETE = 0x0002;
  static final int OPEN_NEW = 0x0008;
  static final int OPEN_READ = 0x0010;
  static final int OPEN_UPDATE = 0x0020;
  static final int OPEN_MKPATH = 0x0100;
  static final int OPEN_RETSTAT = 0x0400;

  // kXR_query info types
  static final int QUERY_CHECKSUM = 3;
  static final int QUERY_CONFIG = 7;

  // kXR_login capabilities: client version 5, handles kXR_attn async responses
  static final int CAPVER = 5 | 0x80;

  private Protocol() {}

  static String requestName(int id) {
    return switch (id) {
      case AUTH -> "auth";
      case QUERY -> "query";
      case CLOSE -> "close";
      case DIRLIST -> "dirlist";
      case PROTOCOL -> "protocol";
      case LOGIN -> "login";
      case MKDIR -> "mkdir";
      case MV -> "mv";
      case OPEN -> "open";
      case PING -> "ping";
      case READ -> "read";
      case RM -> "rm";
      case RMDIR -> "rmdir";
      case SYNC -> "sync";
      case STAT -> "stat";
      case WRITE -> "write";
      case READV -> "readv";
      default -> "request " + id;
    };
  }
}
