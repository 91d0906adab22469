package io.datapass.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("batch-job: credentials only in Secrets")
class SecretsTest {
  private static final String SECRET = "s3cr3t-do-not-leak-4f9a";

  @Test
  void noCredentialAppearsOutsideSecretsNeitherPlainNorBase64() {
    for (Values values :
        List.of(
            Values.everything(SECRET), Values.everything(SECRET).with("download.by", "sidecar"))) {
      Rendered rendered = Helm.batchJob("job-42", values);
      String base64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
      List<JsonNode> others =
          rendered.objects().stream()
              .filter(o -> !"Secret".equals(o.path("kind").asText()))
              .toList();
      assertThat(others).isNotEmpty();
      for (JsonNode object : others) {
        assertThat(object.toString()).as(Rendered.name(object)).doesNotContain(SECRET, base64);
      }
      // and the Secrets do hold it: the search above looked for the right thing
      assertThat(rendered.ofKind("Secret"))
          .extracting(Rendered::name)
          .contains(
              "job-42-gcs",
              "job-42-x509",
              "job-42-http-token",
              "job-42-backend",
              "job-42-registry");
      assertThat(decoded(rendered.one("Secret", "job-42-gcs"), "key.json")).isEqualTo(SECRET);
    }
  }

  @Test
  void credentialFilesAreNamedByTheVariablesTheToolsReadAndMountedReadOnly() {
    Rendered rendered = Helm.batchJob("job-42", Values.everything(SECRET));

    Map<String, String> sidecar = PodTest.env(rendered.container("sidecar"));
    assertThat(sidecar)
        .containsEntry("GOOGLE_APPLICATION_CREDENTIALS", "/var/run/secrets/datapass/gcs/key.json")
        .containsEntry("X509_USER_PROXY", "/var/run/secrets/datapass/x509/x509up")
        .doesNotContainKey("DATAPASS_HTTP_TOKEN_FILE");
    assertThat(PodTest.env(rendered.container("download")))
        .containsEntry("DATAPASS_HTTP_TOKEN_FILE", "/var/run/secrets/datapass/http-token/token")
        .containsEntry("DATAPASS_HTTP_CREDENTIALS_FOR", "https://data.example.org");
    assertThat(Rendered.strings(rendered.container("sidecar").path("args")))
        .containsSubsequence("--backend-token-file", "/var/run/secrets/datapass/backend/token");
    assertThat(PodTest.env(rendered.container("payload")))
        .containsKeys("X509_USER_PROXY", "GOOGLE_APPLICATION_CREDENTIALS")
        .doesNotContainKey("DATAPASS_HTTP_TOKEN_FILE");
    assertThat(PodTest.mountPaths(rendered.container("payload")))
        .doesNotContain(
            "/var/run/secrets/datapass/backend", "/var/run/secrets/datapass/http-token");
    assertThat(
            PodTest.mount(rendered.container("download"), "/var/run/secrets/datapass/http-token")
                .path("readOnly")
                .asBoolean())
        .isTrue();
  }

  @Test
  void existingSecretsAreReferencedByNameAndNoneIsCreated() {
    Rendered rendered =
        Helm.batchJob(
            "job-42",
            Values.minimal()
                .with("credentials.gcs.secretName", "gcs-key")
                .with("credentials.gcs.key", "sa.json"));

    assertThat(rendered.ofKind("Secret")).isEmpty();
    assertThat(PodTest.volume(rendered, "cred-gcs").path("secret").path("secretName").asText())
        .isEqualTo("gcs-key");
    assertThat(PodTest.env(rendered.container("download")))
        .containsEntry("GOOGLE_APPLICATION_CREDENTIALS", "/var/run/secrets/datapass/gcs/sa.json");
  }

  @Test
  void anInputUrlThatMayCarryASecretIsRefusedInAConfigMapNamingTheInput() {
    Values values =
        Values.minimal()
            .withTasks(2)
            .with(
                "manifest.tasks",
                List.of(
                    Map.of("inputs", List.of(Values.input("gs://bucket/a.root"))),
                    Map.of("inputs", List.of(Values.input("https://host/b.root?sig=" + SECRET)))));

    assertThat(Helm.batchJobRefusal("job-42", values))
        .contains("manifest.tasks[1].inputs[0].source", "download.manifestInSecret");

    Rendered inSecret = Helm.batchJob("job-42", values.with("download.manifestInSecret", true));
    assertThat(inSecret.one("Secret", "job-42-inputs").path("stringData").toString())
        .contains(SECRET);
    assertThat(inSecret.ofKind("ConfigMap").toString()).doesNotContain(SECRET);
    assertThat(PodTest.volume(inSecret, "manifest").path("secret").path("secretName").asText())
        .isEqualTo("job-42-inputs");
  }

  @Test
  void anUploadUrlWithAQueryIsRefusedByTheSchema() {
    assertThat(
            Helm.batchJobRefusal(
                "job-42",
                Values.minimal().with("output.uploadTo", "https://host/out/?token=" + SECRET)))
        .contains("/output/uploadTo");
  }

  @Test
  void bothAnExistingSecretAndAValueIsRefusedNamingTheCredential() {
    assertThat(
            Helm.batchJobRefusal(
                "job-42",
                Values.minimal()
                    .with("credentials.x509Proxy.secretName", "proxy")
                    .with("credentials.x509Proxy.value", SECRET)))
        .contains("credentials.x509Proxy");
  }

  @Test
  void aTokenForHttpInputsWithoutTheOriginsItIsForIsRefusedNamingThem() {
    assertThat(
            Helm.batchJobRefusal(
                "job-42", Values.minimal().with("credentials.httpToken.secretName", "token")))
        .contains("credentials.httpToken.origins");
    assertThat(
            Helm.batchJobRefusal(
                "job-42",
                Values.minimal()
                    .with("credentials.httpToken.secretName", "token")
                    .with("credentials.httpToken.origins", List.of("http://data.example.org"))))
        .contains("origins");
  }

  @Test
  void aBackendTokenOverPlainHttpIsRefusedNamingTheBackendUrl() {
    assertThat(
            Helm.batchJobRefusal(
                "job-42",
                Values.minimal()
                    .with("credentials.backendToken.secretName", "backend")
                    .with("sidecar.backendUrl", "http://192.0.2.2:18999/post")))
        .contains("sidecar.backendUrl");
    Helm.batchJob(
        "job-42",
        Values.minimal()
            .with("credentials.backendToken.secretName", "backend")
            .with("sidecar.backendUrl", "https://backend.example.org/post"));
  }

  private static String decoded(JsonNode secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.path("data").path(key).asText()), StandardCharsets.UTF_8);
  }
}
