package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the outputs go and what a rerun does with them: the sidecar in-process around real bash
 * payloads under the wrapper, storing on a mounted path. The workdir is the payload's: nothing in
 * it may decide what counts as stored.
 */
@Timeout(90)
class SidecarOutputsTest {
  @TempDir Path dir;
  private Path workdir;
  private Path stored;
  private BackendReceiver backend;

  @BeforeEach
  void setUp() throws IOException {
    workdir = Files.createDirectories(dir.resolve("workdir"));
    stored = dir.resolve("stored");
    backend = BackendReceiver.start();
    Files.writeString(workdir.resolve("ready"), "{}\n"); // as a download init container does
  }

  @AfterEach
  void stopBackend() {
    backend.close();
  }

  private SidecarRun sidecar() throws IOException {
    return SidecarRun.start(
        Map.of(),
        List.of(
            "--workdir",
            workdir.toString(),
            "--port",
            Integer.toString(BackendReceiver.freePort()),
            "--upload-to",
            stored + "/",
            "--backend-url",
            backend.url(),
            "--job",
            "job-42",
            "--retries",
            "0",
            "--grace-seconds",
            "5"));
  }

  private SidecarRun.Result runPayload(String script) throws Exception {
    SidecarRun sidecar = sidecar();
    try (Payload payload = Payload.start(workdir, dir, script)) {
      payload.await();
    }
    return sidecar.await();
  }

  /** Where an output is stored: under the job's own directory of the prefix. */
  private Path storedFile(String name) {
    return stored.resolve("job-42").resolve(name);
  }

  private static Object identity(Path file) throws IOException {
    BasicFileAttributes attributes =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return List.of(attributes.fileKey(), attributes.lastModifiedTime());
  }

  @Test
  void aRestartedSidecarStoresEveryOutputExactlyOnce() throws Exception {
    SidecarRun.Result first =
        runPayload("echo one > $WORKDIR/output/a.txt; echo two > $WORKDIR/output/b.txt");
    assertThat(first.exitCode()).as(first.err()).isZero();
    List<Object> identities = List.of(identity(storedFile("a.txt")), identity(storedFile("b.txt")));

    // started and done are there: it resumes at the end
    SidecarRun.Result second = sidecar().await();

    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.json().get("state").asText()).isEqualTo("DONE");
    JsonNode outputs = second.json().get("outputs");
    assertThat(outputs.findValuesAsText("file")).containsExactly("a.txt", "b.txt", "error", "log");
    assertThat(outputs.findValues("alreadyStored").stream().map(JsonNode::asBoolean).toList())
        .as("the same bytes found stored: not sent again")
        .containsExactly(true, true, true, true);
    assertThat(outputs.findValuesAsText("checksum"))
        .isEqualTo(first.json().get("outputs").findValuesAsText("checksum"));
    assertThat(List.of(identity(storedFile("a.txt")), identity(storedFile("b.txt"))))
        .isEqualTo(identities);
    try (var files = Files.walk(stored.resolve("job-42"))) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(4);
    }
  }

  @Test
  void aRestartedSidecarNeverReplacesAStoredOutputWithOtherBytes() throws Exception {
    assertThat(runPayload("echo two > $WORKDIR/output/b.txt").exitCode()).isZero();
    Files.writeString(workdir.resolve("output/b.txt"), "two, rewritten\n");

    SidecarRun.Result second = sidecar().await();

    assertThat(second.exitCode()).as("no rerun changes what is stored: not retried").isEqualTo(2);
    assertThat(second.json().get("status").asText()).isEqualTo("refused");
    assertThat(second.json().get("state").asText()).isEqualTo("ERROR");
    assertThat(second.json().get("detail").asText())
        .contains("1 of 3 outputs not stored", "b.txt already exists with other content");
    assertThat(storedFile("b.txt")).hasContent("two");
  }

  @Test
  void outputsGoUnderTheJobsOwnDirectoryApartFromTheCleanupsObjects() throws Exception {
    // what the cleanup role stores under the same prefix (both default to $DATAPASS_UPLOAD_TO)
    Files.createDirectories(stored);
    Files.writeString(stored.resolve("job-42-output.zip"), "the cleanup's zip\n");
    Files.writeString(stored.resolve("job-42-output.manifest.json"), "{}\n");

    SidecarRun.Result result =
        runPayload(
            "echo payload > $WORKDIR/output/job-42-output.zip; "
                + "echo payload > $WORKDIR/output/job-42-output.manifest.json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(stored.resolve("job-42/job-42-output.zip")).hasContent("payload");
    assertThat(stored.resolve("job-42/job-42-output.manifest.json")).hasContent("payload");
    assertThat(stored.resolve("job-42-output.zip")).hasContent("the cleanup's zip");
    assertThat(stored.resolve("job-42-output.manifest.json")).hasContent("{}");
    assertThat(result.json().get("outputs").findValuesAsText("target"))
        .allMatch(target -> target.startsWith("file:" + stored + "/job-42/"));
    assertThat(result.json().get("detail").asText())
        .endsWith("stored under file:" + stored + "/job-42/");
  }

  @Test
  void eachTaskOfAnIndexedJobStoresItsOutputsInADirectoryOfItsOwn() throws Exception {
    for (String index : List.of("0", "1")) {
      Path taskWorkdir = Files.createDirectories(dir.resolve("task-" + index));
      SidecarRun sidecar =
          SidecarRun.start(
              Map.of("JOB_COMPLETION_INDEX", index),
              List.of(
                  "--workdir",
                  taskWorkdir.toString(),
                  "--port",
                  Integer.toString(BackendReceiver.freePort()),
                  "--upload-to",
                  stored + "/",
                  "--job",
                  "job-42",
                  "--exit-on-done",
                  "--grace-seconds",
                  "5"));
      try (Payload payload =
          Payload.start(taskWorkdir, dir, "echo task " + index + " > $WORKDIR/output/result.txt")) {
        payload.await();
      }
      SidecarRun.Result result = sidecar.await();
      assertThat(result.exitCode()).as(result.err()).isZero();
    }
    // the same output name from two indexes: neither refused nor mixed up
    assertThat(stored.resolve("job-42/0/result.txt")).hasContent("task 0");
    assertThat(stored.resolve("job-42/1/result.txt")).hasContent("task 1");
  }

  @Test
  void anIndexThatIsNoPathSegmentIsAUsageError() throws Exception {
    SidecarRun.Result result =
        SidecarRun.start(
                Map.of("JOB_COMPLETION_INDEX", "../x"),
                List.of("--workdir", workdir.toString(), "--upload-to", stored + "/", "--job", "j"))
            .await();
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("JOB_COMPLETION_INDEX must be letters, digits");
  }

  @Test
  void aLedgerLinkedOutOfTheWorkdirIsNeitherReadNorWritten() throws Exception {
    Path secret = Files.writeString(dir.resolve("key.json"), "PRIVATE-KEY-LINE\n");
    Files.createSymbolicLink(workdir.resolve("uploads.jsonl"), secret);

    try (CapturedLog log = CapturedLog.start()) {
      SidecarRun.Result result = runPayload("echo result > $WORKDIR/output/r.txt");

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(log.text()).doesNotContain("PRIVATE-KEY-LINE");
    }
    assertThat(secret).hasContent("PRIVATE-KEY-LINE");
    assertThat(storedFile("r.txt")).hasContent("result");
  }

  @Test
  void forgedLedgerLinesNeitherPassForStoredNorLetAnOutputBeReplaced() throws Exception {
    Files.createDirectories(workdir.resolve("output"));
    Path unstored = Files.writeString(workdir.resolve("output/r.txt"), "never stored\n");
    Files.setLastModifiedTime(unstored, FileTime.fromMillis(1_700_000_000_000L));
    Files.writeString(workdir.resolve("output/s.txt"), "forged\n");
    Files.createDirectories(storedFile("s.txt").getParent());
    Files.writeString(storedFile("s.txt"), "precious\n");
    // r.txt "stored, unchanged"; s.txt "stored by this sidecar before", so replaceable
    Files.writeString(
        workdir.resolve("uploads.jsonl"),
        "{\"file\":\"r.txt\",\"bytes\":13,\"modified\":\"2023-11-14T22:13:20Z\",\"target\":\"file:"
            + storedFile("r.txt")
            + "\",\"checksum\":\"crc32c:00000000\"}\n"
            + "{\"file\":\"s.txt\",\"bytes\":1,\"modified\":\"x\",\"target\":\"file:"
            + storedFile("s.txt")
            + "\",\"checksum\":\"crc32c:00000000\"}\n");

    SidecarRun.Result result = runPayload("true");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.json().get("state").asText()).isEqualTo("ERROR");
    assertThat(result.json().get("detail").asText())
        .contains("s.txt already exists with other content");
    assertThat(storedFile("r.txt")).hasContent("never stored");
    assertThat(storedFile("s.txt")).hasContent("precious");
  }
}
