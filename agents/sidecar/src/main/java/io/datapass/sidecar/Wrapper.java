package io.datapass.sidecar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The payload wrapper script, shipped in the jar and printed by {@code sidecar --print-wrapper} so
 * that a chart can put it in a ConfigMap: the payload container runs {@code bash
 * /datapass/datapass-wrapper.sh COMMAND...}.
 */
final class Wrapper {
  static final String RESOURCE = "datapass-wrapper.sh";

  private Wrapper() {}

  static String script() {
    try (InputStream in = Wrapper.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the sidecar's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
