package io.datapass.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * batch-job ships a copy of the payload wrapper (files/datapass-wrapper.sh), so that the chart
 * installs from a plain checkout; this test keeps it equal to what the sidecar prints.
 */
@DisplayName("batch-job: the payload wrapper")
class WrapperCopyTest {

  @Test
  void theWrapperThePayloadMountsIsTheOneTheSidecarPrints() {
    String printed = printWrapper();
    assertThat(printed)
        .startsWith("#!/usr/bin/env bash")
        .contains("write_atomically \"$workdir/done\"");

    assertThat(Helm.read(Helm.BATCH_JOB.resolve("files/datapass-wrapper.sh")))
        .as("charts/batch-job/files/datapass-wrapper.sh: copy `sidecar --print-wrapper` over it")
        .isEqualTo(printed);
    String mounted =
        Helm.batchJob("job-42", Values.minimal())
            .one("ConfigMap", "job-42-wrapper")
            .path("data")
            .path("datapass-wrapper.sh")
            .asText();
    assertThat(mounted).isEqualTo(printed);
  }

  private static String printWrapper() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        io.datapass.sidecar.Main.run(
            new String[] {"--print-wrapper"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of());
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }
}
