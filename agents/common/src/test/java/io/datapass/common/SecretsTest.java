package io.datapass.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void signaturesTokensAndPasswordsInUrlsAreMasked() {
    Secrets.hideIn(
        URI.create(
            "https://bucket.s3.example.org/run1.root?X-Amz-Credential=AKIAEXAMPLE%2F20261123"
                + "&X-Amz-Signature=0123456789abcdef&X-Amz-Expires=3600&part=1"));
    Secrets.hideIn(
        URI.create(
            "root://eos.example.org//eos/run2.root?authz=zteos64:MDAwMDAxNDR4nE2&eos.app=dp"));
    Secrets.hideIn(URI.create("https://alice:s3cr3t-pw@data.example.org/calib.tar.gz"));
    String line =
        "fetching https://bucket.s3.example.org/run1.root?X-Amz-Credential=AKIAEXAMPLE%2F20261123"
            + "&X-Amz-Signature=0123456789abcdef&X-Amz-Expires=3600 (credential AKIAEXAMPLE/20261123), "
            + "root://eos.example.org//eos/run2.root?authz=zteos64:MDAwMDAxNDR4nE2&eos.app=dp and "
            + "https://alice:s3cr3t-pw@data.example.org/calib.tar.gz";
    assertThat(Secrets.mask(line))
        .doesNotContain("0123456789abcdef", "AKIAEXAMPLE", "zteos64:MDAwMDAxNDR4nE2", "s3cr3t-pw")
        .contains(
            "X-Amz-Signature=***", "authz=***", "alice:***@", "X-Amz-Expires=***", "eos.app=***");
  }

  @Test
  void everyQueryValueOfAUrlInTextIsMaskedWhateverItsName() {
    assertThat(
            Secrets.mask(
                "GET https://127.0.0.1:1/x?X-Goog-Credential=a&t=SECRETV5 failed;"
                    + " \"https://h/y?x=SECRETX1&%73ig=SECRETS2#frag-SECRET3\" and gs://b/o?tok"))
        .isEqualTo(
            "GET https://127.0.0.1:1/x?X-Goog-Credential=***&t=*** failed;"
                + " \"https://h/y?x=***&%73ig=***#***\" and gs://b/o?***");
  }

  @Test
  void ordinaryParametersAndShortValuesStay() {
    Secrets.hideIn(
        URI.create("https://data.example.org/f?part=123456789&generation=987654321&sig=ab"));
    assertThat(Secrets.mask("part=123456789 generation=987654321 sig=ab"))
        .isEqualTo("part=123456789 generation=987654321 sig=ab");
  }

  @Test
  void aMaskingStreamMasksEveryLineAndKeepsTheRest() {
    Secrets.hide("tok-ABCDEFGH");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream masked = Secrets.masking(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    masked.println("first line with tok-ABCDEFGH in it");
    masked.print("no newline, tok-ABCDEFGH");
    masked.flush();
    new IllegalStateException("failed for https://x.example.org/?access_token=tok-ABCDEFGH")
        .printStackTrace(masked);
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .doesNotContain("tok-ABCDEFGH")
        .startsWith("first line with *** in it\nno newline, ***")
        .contains("access_token=***", "at io.datapass.common.SecretsTest");
  }

  @Test
  void aTokenAloneAsUserInfoOfAnHttpUrlIsMaskedButAUserNameElsewhereIsNot() {
    Secrets.hideIn(URI.create("https://ghp0tokenOnly42@git.example.org/repo.tar.gz"));
    Secrets.hideIn(URI.create("root://datauser42@xrootd.example.org//store/a.root"));
    assertThat(Secrets.mask("https://ghp0tokenOnly42@git.example.org/ as datauser42"))
        .isEqualTo("https://***@git.example.org/ as datauser42");
  }

  @Test
  void urlsInTextAreFoundEvenWhenTheyDoNotParse() {
    Secrets.hideInText(
        "inputs:\n  - source: \"gs://b/dir/..?token=txt-S3CRET-1&x=1\"\n"
            + "  - source: https://h.example.org/a b?X-Goog-Signature=txt-S3CRET-2 # comment\n"
            + "  - source: http://alice:txt-S3CRET-3@h/a\n");
    assertThat(Secrets.mask("txt-S3CRET-1 txt-S3CRET-3 but not: txt-S3CRET-2"))
        .isEqualTo("*** *** but not: txt-S3CRET-2"); // a space ends a URL in text
  }

  @Test
  void aScopeMasksUntilItIsClosedAndLeavesWhatOthersKeep() {
    Secrets.hide("kept-for-good-1");
    try (Secrets.Scope outer = Secrets.scope()) {
      outer.hide("shared-secret-2").hide("kept-for-good-1");
      try (Secrets.Scope job = Secrets.scope()) {
        job.hideIn(URI.create("https://h.example.org/a?access_token=scoped-secret-3"));
        job.hide("shared-secret-2");
        assertThat(Secrets.mask("scoped-secret-3 shared-secret-2")).isEqualTo("*** ***");
      }
      assertThat(Secrets.mask("scoped-secret-3 shared-secret-2 kept-for-good-1"))
          .isEqualTo("scoped-secret-3 *** ***");
    }
    assertThat(Secrets.mask("shared-secret-2 kept-for-good-1")).isEqualTo("shared-secret-2 ***");
  }
}
