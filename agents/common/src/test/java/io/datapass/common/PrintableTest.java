package io.datapass.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
  @Test
  void controlCharactersCannotForgeALineOrDriveATerminal() {
    assertThat(Printable.quoted("a\nINFO forged\r\u001b[2J\u0007\"\\"))
        .isEqualTo("\"a\\nINFO forged\\r\\u001b[2J\\u0007\\\"\\\\\"");
    assertThat(Printable.escaped("done: x\ny\u009b")).isEqualTo("done: x\\ny\\u009b");
    assertThat(Printable.escaped("résumé \\ ok")).isEqualTo("résumé \\ ok");
  }
}
