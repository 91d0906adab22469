package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.transfer.storage.TransferException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class OutputFilesTest {
  @TempDir Path dir;

  @Test
  void aFileBehindADirectorySwappedForALinkHasNoVersionAndIsNotListed() throws Exception {
    Path output = Files.createDirectories(dir.resolve("workdir/output"));
    Path d = Files.createDirectories(output.resolve("d"));
    Path file = Files.writeString(d.resolve("key.json"), "own");
    OutputFiles files = new OutputFiles(output);
    assertThat(files.list()).containsExactly(file);
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("key.json"), "SECRET");
    Files.move(d, dir.resolve("d.real"));
    Files.createSymbolicLink(d, secrets); // as the payload's swap leaves it after the listing

    assertThatThrownBy(() -> FileVersion.of(file))
        .isInstanceOf(TransferException.class)
        .hasMessageContaining("d is a symbolic link: not read through it");
    assertThat(files.list()).isEmpty();
  }

  @Test
  void namesThatCouldMeanAnotherPlaceAreLeftOutWithAnEscapedWarningNeverRewritten()
      throws Exception {
    Path output = Files.createDirectories(dir.resolve("workdir/output"));
    Path plain = Files.writeString(output.resolve("result.txt"), "r");
    Files.writeString(output.resolve("..\\1\\result.txt"), "into task 1");
    Files.writeString(output.resolve("q?oss.asize=1&authz=INJECTED"), "cgi");
    Files.writeString(output.resolve("x\nINFO forged"), "line");
    OutputFiles files = new OutputFiles(output);
    try (CapturedLog log = CapturedLog.start()) {
      assertThat(files.list()).containsExactly(plain);
      assertThat(log.text())
          .contains("\"..\\\\1\\\\result.txt\" left out")
          .contains("\"q?oss.asize=1&authz=INJECTED\" left out")
          .contains("\"x\\nINFO forged\" left out")
          .doesNotContain("\nINFO forged");
    }
    assertThat(files.name(output.resolve("a\\b"))).isEqualTo("a\\b");
  }
}
