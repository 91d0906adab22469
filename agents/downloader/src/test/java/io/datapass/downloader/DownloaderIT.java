package io.datapass.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.transfer.testing.FakeGcsServer;
import io.datapass.transfer.testing.HttpTestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent end to end against real servers on loopback: the JDK HTTP server and
 * fsouza/fake-gcs-server.
 */
class DownloaderIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static HttpTestServer http;
  private static FakeGcsServer gcs;

  @TempDir Path dir;

  @BeforeAll
  static void startServers(@TempDir Path serverDir) throws Exception {
    http = HttpTestServer.start();
    gcs = FakeGcsServer.start(serverDir).createBucket("inputs");
  }

  @AfterAll
  static void stopServers() throws Exception {
    if (http != null) {
      http.close();
    }
    if (gcs != null) {
      gcs.close();
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private AgentRun run(String manifestYaml, String... extra) throws IOException {
    Path manifest = dir.resolve("manifest.yaml");
    Files.writeString(manifest, manifestYaml);
    return AgentRun.of(
        AgentRun.args(
            manifest,
            dir.resolve("input"),
            dir.resolve("ready"),
            Stream.concat(
                    Stream.of("--gcs-endpoint", gcs.endpoint(), "--retries", "3"), Stream.of(extra))
                .toArray(String[]::new)));
  }

  @Test
  void downloadsOverHttp() throws IOException {
    byte[] content = random(3 << 20, 1);
    http.serve("/calib/run1.root", content);
    AgentRun run =
        run(
            "inputs:\n  - source: "
                + http.uri("/calib/run1.root")
                + "\n    target: calib/run1.root\n");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(dir.resolve("input/calib/run1.root")).hasBinaryContent(content);
    assertThat(dir.resolve("ready")).exists();
  }

  @Test
  void readyFileAndSummaryCarryNoUrlSecrets() throws IOException {
    http.serve("/signed/run1.root", "signed".getBytes(StandardCharsets.UTF_8));
    String secret = "Zq8sigvalue0123456789";
    URI signed =
        URI.create(
            "http://"
                + http.uri("/signed/run1.root").getRawAuthority()
                + "/signed/run1.root?X-Goog-Signature="
                + secret
                + "&X-Goog-Expires=600");
    AgentRun run = run("inputs:\n  - source: \"" + signed + "\"\n");
    assertThat(run.exitCode()).as(run.err()).isZero();
    String ready = Files.readString(dir.resolve("ready"));
    assertThat(ready + run.out() + run.err()).doesNotContain(secret);
    assertThat(JSON.readTree(ready).at("/files/0/source").asText())
        .isEqualTo(http.uri("/signed/run1.root").toString());
  }

  @Test
  void resumesAfterTheConnectionIsCutMidBody() throws IOException {
    byte[] content = random(4 << 20, 2);
    http.serve("/cut/data.bin", content).cutNextBodyAfter("/cut/data.bin", 1_500_000);
    AgentRun run = run("inputs:\n  - source: " + http.uri("/cut/data.bin") + "\n");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(dir.resolve("input/data.bin")).hasBinaryContent(content);
    var gets = http.requests("GET", "/cut/data.bin");
    assertThat(gets).hasSize(2);
    assertThat(gets.get(0).range()).isNull();
    long resumedAt = Long.parseLong(gets.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
    assertThat(resumedAt).isGreaterThan(0).isLessThanOrEqualTo(1_500_000);
    assertThat(JSON.readTree(run.out()).at("/files/0/resumedFrom").asLong()).isEqualTo(resumedAt);
  }

  @Test
  void downloadsFromGcsAndReportsItsCrc32c() throws IOException {
    byte[] content = random(2 << 20, 3);
    gcs.put("inputs", "job-42/run 1.root", content);
    CRC32C crc = new CRC32C();
    crc.update(content);
    AgentRun run = run("inputs:\n  - source: gs://inputs/job-42/run 1.root\n");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(dir.resolve("input/run 1.root")).hasBinaryContent(content);
    assertThat(JSON.readTree(run.out()).at("/files/0/checksum").asText())
        .isEqualTo("crc32c:%08x".formatted(crc.getValue()));
  }

  @Test
  void missingGcsObjectFailsNamingTheUri() throws IOException {
    AgentRun run = run("inputs:\n  - source: gs://inputs/no/such.root\n");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("object not found: gs://inputs/no/such.root");
    assertThat(dir.resolve("ready")).doesNotExist();
  }

  @Test
  void aSourceBucketThatDoesNotExistIsAConfigurationErrorNamingTheInput() throws IOException {
    AgentRun run =
        run(
            "inputs:\n  - source: gs://nobucket/run.root\n"
                + "  - source: gs://nobucket/dataset/\n    target: ds\n");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "inputs[0] failed: bucket nobucket does not exist (source gs://nobucket/run.root)",
            "inputs[1] failed: bucket nobucket does not exist (source gs://nobucket/dataset/)");
  }

  @Test
  void listsAGcsPrefixGivenAsADirectory() throws IOException {
    gcs.put("inputs", "dataset/a/1.root", "one".getBytes(StandardCharsets.UTF_8));
    gcs.put("inputs", "dataset/b/2.root", "two".getBytes(StandardCharsets.UTF_8));
    AgentRun run = run("inputs:\n  - source: gs://inputs/dataset/\n    target: ds\n");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(dir.resolve("input/ds/a/1.root")).hasContent("one");
    assertThat(dir.resolve("input/ds/b/2.root")).hasContent("two");
  }

  @Test
  void unpacksAZipFromGcs() throws IOException {
    gcs.put(
        "inputs",
        "job-7-input.zip",
        zip(Map.of("config/run.cfg", "events=10\n", "README", "hi\n")));
    AgentRun run = run("inputs:\n  - source: gs://inputs/job-7-input.zip\n    unpack: true\n");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(dir.resolve("input/config/run.cfg")).hasContent("events=10");
    assertThat(dir.resolve("input/README")).hasContent("hi");
    try (Stream<Path> files = Files.list(dir.resolve("input"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("config", "README");
    }
  }

  @Test
  void zipSlipArchiveFailsTheRunAndWritesNothingOutside() throws IOException {
    gcs.put("inputs", "evil.zip", zip(Map.of("ok.txt", "fine", "../../escaped.txt", "pwned")));
    AgentRun run =
        run("inputs:\n  - source: gs://inputs/evil.zip\n    unpack: true\n    target: unpacked\n");
    assertThat(run.exitCode()).as("no rerun unpacks an unsafe archive").isEqualTo(2);
    assertThat(run.err()).contains("unsafe archive", "escapes the target directory");
    assertThat(dir.resolve("escaped.txt")).doesNotExist();
    assertThat(dir.getParent().resolve("escaped.txt")).doesNotExist();
    try (Stream<Path> left = Files.walk(dir.resolve("input"))) {
      assertThat(left.filter(Files::isRegularFile)).isEmpty();
    }
    assertThat(dir.resolve("ready")).doesNotExist();
  }

  @Test
  void twoHundredFilesInParallel() throws IOException {
    StringBuilder manifest = new StringBuilder("parallel: 16\ninputs:\n");
    for (int i = 0; i < 200; i++) {
      http.serve("/many/f" + i, random(10_000 + i, 100 + i));
      manifest
          .append("  - source: ")
          .append(http.uri("/many/f" + i))
          .append("\n    target: many/f")
          .append(i)
          .append('\n');
    }
    AgentRun run = run(manifest.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    for (int i = 0; i < 200; i++) {
      assertThat(dir.resolve("input/many/f" + i)).hasBinaryContent(random(10_000 + i, 100 + i));
    }
    JsonNode summary = JSON.readTree(run.out());
    assertThat(summary.get("inputs").asInt()).isEqualTo(200);
    assertThat(summary.get("failed").asInt()).isZero();
  }

  private Path tokenFile() throws IOException {
    Path token = dir.resolve("secret/token");
    Files.createDirectories(token.getParent());
    return Files.writeString(token, "s3cr3t-t0ken\n");
  }

  private String origin() {
    return "http://" + http.uri("/").getRawAuthority();
  }

  @Test
  void sendsTheBearerTokenFromTheSecretFileToItsOriginAndNeverLogsIt() throws IOException {
    Path token = tokenFile();
    http.serve("/private/x.txt", "private".getBytes(StandardCharsets.UTF_8))
        .requireAuthorization("Bearer s3cr3t-t0ken");
    try {
      AgentRun run =
          run(
              "inputs:\n  - source: " + http.uri("/private/x.txt") + "\n",
              "--http-token-file",
              token.toString(),
              "--http-credentials-for",
              "https://other.example.org, " + origin());
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(dir.resolve("input/x.txt")).hasContent("private");
      assertThat(run.out() + run.err()).doesNotContain("s3cr3t");
    } finally {
      http.requireAuthorization(null);
    }
  }

  @Test
  void theTokenIsNotSentToASourceOutsideItsOrigins() throws IOException {
    Path token = tokenFile();
    http.serve("/public/y.txt", "public".getBytes(StandardCharsets.UTF_8));
    AgentRun run =
        run(
            "inputs:\n  - source: " + http.uri("/public/y.txt") + "\n",
            "--http-token-file",
            token.toString(),
            "--http-credentials-for",
            "https://data.example.org");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(http.requests("GET", "/public/y.txt"))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.authorization()).isNull());
  }

  @Test
  void credentialsWithoutTheirOriginsAreAUsageError() throws IOException {
    http.serve("/private/z.txt", "z".getBytes(StandardCharsets.UTF_8));
    AgentRun run =
        run(
            "inputs:\n  - source: " + http.uri("/private/z.txt") + "\n",
            "--http-token-file",
            tokenFile().toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("--http-token-file needs --http-credentials-for");
    assertThat(http.requests("GET", "/private/z.txt")).isEmpty();
  }

  @Test
  void credentialsForAPlainHttpOriginOffThisHostAreAUsageError() throws IOException {
    AgentRun run =
        run(
            "inputs:\n  - source: http://data.example.org/a\n",
            "--http-token-file",
            tokenFile().toString(),
            "--http-credentials-for",
            "http://data.example.org");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains("--http-credentials-for 'http://data.example.org'", "plain http", "https://");
  }

  private static byte[] zip(Map<String, String> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (var entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
