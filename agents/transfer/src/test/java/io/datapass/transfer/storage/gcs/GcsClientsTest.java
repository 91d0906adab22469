package io.datapass.transfer.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GcsClientsTest {
  private static final Map<String, String> REAL = Map.of("GOOGLE_APPLICATION_CREDENTIALS", "/k");

  @Test
  void realCredentialsOnAPlainHttpEndpointOffThisHostAreRefusedByEveryRole() {
    IllegalArgumentException e =
        catchThrowableOfType(
            IllegalArgumentException.class,
            () -> GcsClients.create("http://gcs.example.org:4443", REAL));
    assertThat(e)
        .hasMessageContaining("http://gcs.example.org:4443 is plain http")
        .hasMessageContaining("DATAPASS_GCS_PLAIN_HTTP_CREDENTIALS=allow");
    assertThat(
            catchThrowableOfType(
                IllegalArgumentException.class,
                () ->
                    GcsClients.requireSafeEndpoint(
                        null,
                        Map.of(
                            "STORAGE_EMULATOR_HOST",
                            "gcs.example.org:4443",
                            "GOOGLE_APPLICATION_CREDENTIALS",
                            "/k"))))
        .isNotNull();
  }

  @Test
  void httpsLoopbackNoCredentialsOrAnExplicitAllowPass() {
    assertThatCode(
            () -> {
              GcsClients.requireSafeEndpoint("https://gcs.example.org", REAL);
              GcsClients.requireSafeEndpoint("http://127.0.0.1:4443", REAL);
              GcsClients.requireSafeEndpoint("http://gcs.example.org:4443", Map.of());
              GcsClients.requireSafeEndpoint(
                  "http://gcs.example.org:4443",
                  Map.of(
                      "GOOGLE_APPLICATION_CREDENTIALS",
                      "/k",
                      "DATAPASS_GCS_PLAIN_HTTP_CREDENTIALS",
                      "allow"));
            })
        .doesNotThrowAnyException();
  }
}
