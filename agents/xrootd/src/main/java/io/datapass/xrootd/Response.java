package io.datapass.xrootd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A complete answer: the final status and the body (all kXR_oksofar parts joined). */
record Response(int status, byte[] body, int length) {

  ByteBuffer buffer() {
    return ByteBuffer.wrap(body, 0, length);
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
