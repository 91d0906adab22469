package io.datapass.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secrets inside the manifest's URLs are masked from the first byte the agent prints: manifest
 * errors too, which come before any input is planned.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecretsInErrorsTest {
  private static final String SECRET = "Sg9xQ7secretvalue42";

  @TempDir Path dir;

  private AgentRun runWith(String manifestYaml) throws IOException {
    Path manifest = Files.writeString(dir.resolve("inputs.yaml"), manifestYaml);
    return AgentRun.of(AgentRun.args(manifest, dir.resolve("input"), dir.resolve("ready")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // a checksum or unpack on a directory source
        "inputs:\n  - source: \"https://h.example.org/d/?X-Goog-Signature=SECRET\"\n"
            + "    checksum: md5:00000000000000000000000000000000\n",
        "inputs:\n  - source: \"https://h.example.org/d/?access_token=SECRET\"\n    unpack: true\n",
        // no file name to derive, under a parameter name that says nothing
        "inputs:\n  - source: \"gs://bucket/dir/..?x=SECRET\"\n",
        // YAML that does not parse, quoting the line
        "inputs:\n  - source: https://h.example.org/a?token=SECRET\n   target: [\n",
        // a field of the wrong type next to the secret
        "inputs:\n  - source: https://h.example.org/a?sig=SECRET\n    unpack: [1]\n"
      })
  void aManifestErrorNeverPrintsTheSecret(String yaml) throws IOException {
    AgentRun run = runWith(yaml.replace("SECRET", SECRET));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.out() + run.err()).doesNotContain(SECRET).contains("inputs.yaml");
  }

  @Test
  void aTokenAsUserInfoWithoutAColonIsRefusedAndNeverPrinted() throws IOException {
    AgentRun run = runWith("inputs:\n  - source: https://" + SECRET + "@h.example.org/a.bin\n");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .doesNotContain(SECRET)
        .contains("inputs[0].source", "user info", "--http-token-file");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://127.0.0.1:1/x?X-Goog-Credential=a&t=SECRET",
        "https://127.0.0.1:1/x?X-Goog-Credential=a&x-goog-signature%3D=1&t=SECRET",
        "https://127.0.0.1:1/x?x=SECRET",
        "https://127.0.0.1:1/x?%73ig=SECRET"
      })
  void aFailedDownloadNeverPrintsAQueryValueWhateverItsName(String source) throws IOException {
    AgentRun run =
        AgentRun.of(
            AgentRun.args(
                Files.writeString(
                    dir.resolve("inputs.yaml"),
                    "inputs:\n  - source: \""
                        + source.replace("SECRET", SECRET)
                        + "\"\n    target: x.bin\n"),
                dir.resolve("input"),
                dir.resolve("ready"),
                "--retries",
                "0"));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).contains("\"error\"");
    assertThat(run.out() + run.err()).doesNotContain(SECRET).contains("127.0.0.1:1/x");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/var/run/secrets/kubernetes.io/serviceaccount/token",
        "/run/secrets/x",
        "/proc/self/environ",
        "/sys/kernel/x"
      })
  void theAgentsOwnCredentialsAndTheKernelsFilesAreNeverInputs(String source) throws IOException {
    AgentRun run = runWith("inputs:\n  - source: " + source + "\n");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("inputs[0].source", "are never inputs");
  }

  @Test
  void aUrlWithoutItsSchemeIsReadAsAPathButItsTokenIsStillMasked() throws IOException {
    AgentRun run = runWith("inputs:\n  - source: h.example.org/x?access_token=" + SECRET + "\n");
    assertThat(run.exitCode()).as(run.err()).isNotZero();
    assertThat(run.out() + run.err()).doesNotContain(SECRET);
  }
}
