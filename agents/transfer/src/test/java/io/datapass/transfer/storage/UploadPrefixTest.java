package io.datapass.transfer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.common.ConfigException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UploadPrefixTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "gs://bucket/out?token=TOKENVALUE42", // no trailing '/'
        "s3://user:PASSWORD4242@host/out/", // no such scheme
        "root://user:PASSWORD4242@/out/", // no server
      })
  void aRefusedPrefixIsQuotedWithoutItsSecrets(String value) {
    assertThatThrownBy(() -> UploadPrefix.parse(value, "--upload-to"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--upload-to must ")
        .hasMessageNotContaining("TOKENVALUE42")
        .hasMessageNotContaining("PASSWORD4242");
  }

  @Test
  void withoutQueryLeavesOutUserInfoToo() {
    assertThat(
            UploadPrefix.withoutQuery(
                URI.create("root://reader:PASSWORD4242@host:1094//data/out/?authz=ZTOKEN")))
        .isEqualTo("root://host:1094//data/out/");
    assertThat(UploadPrefix.withoutQuery(URI.create("file:/shared/results/")))
        .isEqualTo("file:/shared/results/");
  }
}
