package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkdirTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'FITTING\n'|FITTING",
        "'  LOADING  \r\n'|LOADING",
        "'STEP 2 of 5\nsecond line ignored\n'|STEP 2 of 5",
        "'\n'|''",
        "''|''",
        "'A\u0007B'|AB",
      })
  void theStateIsTheFirstLineTrimmed(String content, String state) throws Exception {
    Files.writeString(dir.resolve("state"), content);

    assertThat(new Workdir(dir).readState()).isEqualTo(state);
  }

  @Test
  void aMissingStateIsEmptyAndALongOneIsCut() throws Exception {
    Workdir workdir = new Workdir(dir);
    assertThat(workdir.readState()).isEmpty();

    Files.writeString(dir.resolve("state"), "X".repeat(1000));

    assertThat(workdir.readState()).hasSize(Workdir.MAX_STATE_LENGTH);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"'0\n'|0", "'3\n'|3", "'137'|137", "''|0", "'oops'|-1"})
  void doneHoldsTheExitCode(String content, int code) throws Exception {
    Files.writeString(dir.resolve("done"), content);

    assertThat(new Workdir(dir).readDone()).hasValue(code);
  }

  @Test
  void noDoneYet() throws Exception {
    assertThat(new Workdir(dir).readDone()).isEqualTo(OptionalInt.empty());
  }
}
