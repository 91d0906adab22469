package io.datapass.transfer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartialNameTest {
  private final PathMatcher glob =
      FileSystems.getDefault().getPathMatcher("glob:" + PartialName.GLOB);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "run1.root",
        "a.b.c",
        "x",
        "with space.bin",
        ".hidden",
        "ends.with.part",
        "0123456789ab"
      })
  void theNameWrittenIsTheNameRecognisedForItsTarget(String target) {
    Path partial = PartialName.of(Path.of("/in", target), "gs://b/o", "17");

    assertThat(PartialName.targetName(partial.getFileName().toString())).isEqualTo(target);
    assertThat(glob.matches(partial.getFileName())).isTrue();
    assertThat(partial.getParent()).isEqualTo(Path.of("/in"));
  }

  @Test
  void theNameChangesWithTheObjectAndItsVersion() {
    Path target = Path.of("/in/run1.root");
    assertThat(PartialName.of(target, "gs://b/o", "17"))
        .isEqualTo(PartialName.of(target, "gs://b/o", "17"))
        .isNotEqualTo(PartialName.of(target, "gs://b/o", "18"))
        .isNotEqualTo(PartialName.of(target, "gs://b/p", "17"));
  }

  @Test
  void otherNamesAreNotPartialFiles() {
    assertThat(PartialName.targetName("run1.root.0123456789ab.part")).isNull();
    assertThat(PartialName.targetName(".run1.root.0123456789xy.part")).isNull();
    assertThat(PartialName.targetName(".run1.root.0123456789ab.tmp")).isNull();
    assertThat(PartialName.targetName(".0123456789ab.part")).isNull();
    assertThat(PartialName.targetName(".part")).isNull();
  }
}
