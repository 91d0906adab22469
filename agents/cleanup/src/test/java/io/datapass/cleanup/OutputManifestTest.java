package io.datapass.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.cleanup.CleanupReport.StoredObject;
import io.datapass.cleanup.OutputManifest.FileEntry;
import io.datapass.cleanup.OutputTree.OutputFile;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputManifestTest {
  @TempDir Path dir;

  private static final OutputManifest MANIFEST =
      new OutputManifest(
          "job-1",
          new JobState("Failed", "BackoffLimitExceeded"),
          "zip",
          List.of(
              new StoredObject(
                  "gs://b/out/job-1-output.zip", "(zip of /output)", 160, "crc32c:0a1b2c3d")),
          List.of(
              new FileEntry("a.txt", 1, "crc32c:c1d04330"),
              new FileEntry("logs/b.txt", 5, "crc32c:00000000")),
          List.of("link"));

  @Test
  void isWrittenWithItsKeysInOneOrderAndReadBack() throws Exception {
    String json = MANIFEST.toJson();
    assertThat(json)
        .isEqualTo(
            """
        {
          "job" : "job-1",
          "jobState" : {
            "state" : "Failed",
            "reason" : "BackoffLimitExceeded"
          },
          "mode" : "zip",
          "objects" : [ {
            "target" : "gs://b/out/job-1-output.zip",
            "source" : "(zip of /output)",
            "bytes" : 160,
            "checksum" : "crc32c:0a1b2c3d"
          } ],
          "files" : [ {
            "name" : "a.txt",
            "bytes" : 1,
            "checksum" : "crc32c:c1d04330"
          }, {
            "name" : "logs/b.txt",
            "bytes" : 5,
            "checksum" : "crc32c:00000000"
          } ],
          "skipped" : [ "link" ]
        }
        """);
    assertThat(OutputManifest.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(MANIFEST);
    assertThat(MANIFEST.bytes()).isEqualTo(6);
  }

  @Test
  void withoutTheJobsStateTheKeyIsLeftOutAndAStateWithoutReasonHasNoReasonKey() throws Exception {
    OutputManifest none =
        new OutputManifest("job-1", null, "tree", List.of(), List.of(), List.of());
    assertThat(none.toJson()).doesNotContain("jobState");
    assertThat(OutputManifest.parse(none.toJson().getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(none);
    OutputManifest failed =
        new OutputManifest(
            "job-1", JobState.fromFlag("Failed"), "tree", List.of(), List.of(), List.of());
    assertThat(failed.toJson()).contains("\"jobState\" : {\n    \"state\" : \"Failed\"\n  },");
  }

  @Test
  void inTreeModeAFileLeftMustStillHoldItsObjectsBytes() throws Exception {
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    String sha256 = ChecksumAlgorithm.SHA256.of(a).toString();
    OutputManifest tree =
        new OutputManifest(
            "job-1",
            null,
            "tree",
            List.of(new StoredObject("gs://b/out/job-1/a.txt", "a.txt", 1, "crc32c:00000000")),
            List.of(new FileEntry("a.txt", 1, sha256)),
            List.of());
    assertThat(tree.firstUnlisted(List.of(new OutputFile("a.txt", a, 1))))
        .contains(
            "a.txt is "
                + ChecksumAlgorithm.CRC32C.of(a)
                + ", crc32c:00000000 for its object in it");
    assertThat(tree.firstMissingObject("gs://b/out/", "job-1")).isEmpty();
  }

  @Test
  void listsWhatIsLeftOfItsOutputsAndTellsOtherFilesApart() throws Exception {
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    assertThat(MANIFEST.firstUnlisted(List.of())).isEmpty();
    assertThat(MANIFEST.firstUnlisted(List.of(new OutputFile("a.txt", a, 1)))).isEmpty();

    Path other = Files.writeString(dir.resolve("other.txt"), "b");
    assertThat(MANIFEST.firstUnlisted(List.of(new OutputFile("a.txt", other, 1))))
        .contains(
            "a.txt is crc32c:"
                + io.datapass.transfer.checksum.ChecksumAlgorithm.CRC32C.of(other).hex()
                + ", crc32c:c1d04330 in it");
    assertThat(MANIFEST.firstUnlisted(List.of(new OutputFile("new.txt", a, 1))))
        .contains("it does not list new.txt");
    assertThat(MANIFEST.firstUnlisted(List.of(new OutputFile("logs/b.txt", a, 1))))
        .contains("logs/b.txt has 1 bytes, 5 in it");
  }
}
