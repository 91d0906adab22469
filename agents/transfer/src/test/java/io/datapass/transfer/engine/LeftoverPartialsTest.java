package io.datapass.transfer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeftoverPartialsTest {
  @Test
  void readsTheTargetNameOfAPartialFile() {
    assertThat(LeftoverPartials.targetName(".run1.root.0123456789ab.part")).isEqualTo("run1.root");
    assertThat(LeftoverPartials.targetName(".a.b.c.ffffffffffff.part")).isEqualTo("a.b.c");
  }

  @Test
  void ignoresOtherFiles() {
    assertThat(LeftoverPartials.targetName("run1.root.0123456789ab.part")).isNull();
    assertThat(LeftoverPartials.targetName(".run1.root.0123456789xy.part")).isNull();
    assertThat(LeftoverPartials.targetName(".run1.root.0123456789ab.tmp")).isNull();
    assertThat(LeftoverPartials.targetName(".0123456789ab.part")).isNull();
    assertThat(LeftoverPartials.targetName(".part")).isNull();
  }
}
