package io.datapass.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

class AgentMainTest {
  @Test
  void aFileErrorSaysWhatHappenedToWhichFileNotTheExceptionsName() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    int code =
        AgentMain.guarded(
            "download",
            err,
            () -> {
              throw new AccessDeniedException("/workdir");
            });

    assertThat(code).isEqualTo(ExitCode.WORK_FAILED);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("download: failed: /workdir: permission denied\n");
  }

  @Test
  void aServersMultiLineAnswerIsOneLogLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    int code =
        AgentMain.guarded(
            "cleanup",
            err,
            () -> {
              throw new java.io.IOException("401 Unauthorized\n{\"error\": \"bad token\"}\r\n");
            });

    assertThat(code).isEqualTo(ExitCode.WORK_FAILED);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("cleanup: failed: 401 Unauthorized {\"error\": \"bad token\"}\n");
  }
}
