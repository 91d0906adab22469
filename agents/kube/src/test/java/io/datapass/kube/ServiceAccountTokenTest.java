package io.datapass.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceAccountTokenTest {
  @TempDir Path dir;

  @Test
  void aRotatedTokenIsReadFromTheFileAgain() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "first-token\n");
    List<String> seen = new ArrayList<>();
    ServiceAccountToken token = new ServiceAccountToken(file, seen::add);
    assertThat(token.getToken()).isEqualTo("first-token");

    Files.writeString(dir.resolve("token.new"), "second-token");
    Files.move(dir.resolve("token.new"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThat(token.getToken()).isEqualTo("second-token");
    assertThat(token.getToken()).isEqualTo("second-token");
    assertThat(seen).containsExactly("first-token", "second-token");
  }

  @Test
  void aTokenFileThatCannotBeReadAgainLeavesTheLastToken() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "only-token");
    ServiceAccountToken token = new ServiceAccountToken(file, t -> {});
    Files.delete(file);
    assertThat(token.getToken()).isEqualTo("only-token");
  }

  @Test
  void anEmptyTokenFileFailsAtStart() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "\n");
    assertThatThrownBy(() -> new ServiceAccountToken(file, t -> {}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is empty");
  }
}
