package io.datapass.transfer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.common.ConfigException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class OutputNamesTest {

  @Test
  void namesThatCouldMeanAnotherPlaceAreRefused() {
    for (String name :
        new String[] {
          "..\\..\\..\\escaped.txt",
          "..\\1\\result.txt",
          "../x",
          "a/../../x",
          "./x",
          "a//b",
          "q?oss.asize=1&authz=INJECTED",
          "frag#ment",
          "line\nforged",
          "bell\u0007",
          "esc\u001b[31m",
          "bad\uFFFD",
          "/abs"
        }) {
      assertThat(OutputNames.refusal(name)).as(name).isNotNull();
    }
    for (String name :
        new String[] {"result.txt", "hists/pt.txt", "résumé.txt", "a b/c%20d", "job/"}) {
      assertThat(OutputNames.refusal(name)).as(name).isNull();
    }
  }

  @Test
  void underRefusesANameOutsideThePrefixOrReadAsAQuery() throws ConfigException {
    URI mounted = UploadPrefix.parse("/data/out/", "--upload-to");
    URI xrootd = UploadPrefix.parse("root://h.example.org//store/?authz=SECRET", "--upload-to");
    assertThatThrownBy(() -> UploadPrefix.under(mounted, "..\\..\\..\\escaped.txt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not stored under file:/data/out/: \"..\\\\..\\\\")
        .hasMessageContaining("left out: its name is not stored as it is");
    assertThatThrownBy(() -> UploadPrefix.under(mounted, "../1/result.txt"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UploadPrefix.under(xrootd, "q?oss.asize=1&authz=INJECTED"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("SECRET");
    assertThat(UploadPrefix.under(mounted, "job-1/hists/pt.txt").getPath())
        .isEqualTo("/data/out/job-1/hists/pt.txt");
  }
}
