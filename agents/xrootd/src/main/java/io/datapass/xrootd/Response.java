package io.datapass.xrootd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A complete answer: the final status and the body (all kXR_oksofar parts joined). */
record Response(int status, byte[] body, int length) {

  ByteBuffer buffer() {
    return ByteBuffer.wrap(body, 0, length);
  }

  /** A kXR_error answer as an exception: int32 code, then the server's message. */
  XrootdException error(String context) {
    int code =
        length >= 4 ? ByteBuffer.wrap(body, 0, length).getInt() : XrootdException.SERVER_ERROR;
    String message =
        length > 4
            ? new String(body, 4, length - 4, StandardCharsets.UTF_8).replace("\0", "").trim()
            : "";
    return new XrootdException(code, message, context);
  }

  /** The body as text, without the trailing NUL servers add. */
  String text() {
    int end = length;
    while (end > 0 && body[end - 1] == 0) {
      end--;
    }
    return new String(body, 0, end, StandardCharsets.UTF_8);
  }
}
