package io.datapass.transfer.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.ExistingObject;
import io.datapass.transfer.storage.Locations;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.gcs.GcsClients;
import io.datapass.transfer.storage.gcs.GcsSink;
import io.datapass.transfer.testing.FakeGcsServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Uploader to gs: against fake-gcs-server")
class GcsUploadIT {
  private static final String BUCKET = "datapass-out";

  @TempDir static Path serverDir;
  private static FakeGcsServer gcs;

  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    gcs = FakeGcsServer.start(serverDir);
    gcs.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() throws IOException {
    gcs.close();
  }

  private Uploader uploader() {
    return new Uploader(
        new SinkRegistry()
            .register("gs", () -> new GcsSink(GcsClients.create(gcs.endpoint(), Map.of()))),
        new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50)));
  }

  @Test
  void uploadsAndTheStoredCrc32cMatches() throws Exception {
    byte[] content = new byte[5_000_000];
    new Random(3).nextBytes(content);
    Path local = Files.write(dir.resolve("job-7-output.zip"), content);
    URI target = Locations.parse("gs://" + BUCKET + "/outputs/job 7/job-7-output.zip");

    Uploader.UploadResult result = uploader().upload(local, target, false);

    Blob stored = gcs.storage().get(BlobId.of(BUCKET, "outputs/job 7/job-7-output.zip"));
    assertThat(stored.getContent()).isEqualTo(content);
    assertThat(result.checksum()).isEqualTo(ChecksumAlgorithm.CRC32C.of(local));
    assertThat(stored.getCrc32c()).isEqualTo(result.checksum().base64());
    assertThat(result.bytes()).isEqualTo(content.length);
  }

  @Test
  void replacesAnEarlierObjectWhenTold() throws Exception {
    gcs.put(BUCKET, "again/out.zip", new byte[] {1, 2, 3});
    Path local = Files.writeString(dir.resolve("out.zip"), "second attempt");
    uploader().upload(local, Locations.parse("gs://" + BUCKET + "/again/out.zip"), true);
    assertThat(gcs.storage().get(BlobId.of(BUCKET, "again/out.zip")).getContent())
        .isEqualTo("second attempt".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void otherwiseNeverReplacesAnObjectWithOtherContent() throws Exception {
    gcs.put(BUCKET, "kept/out.zip", new byte[] {1, 2, 3});
    Path local = Files.writeString(dir.resolve("out.zip"), "second attempt");
    URI target = Locations.parse("gs://" + BUCKET + "/kept/out.zip");

    assertThatThrownBy(() -> uploader().upload(local, target, false))
        .isInstanceOf(ObjectExistsException.class)
        .hasMessageStartingWith(target + " already exists with other content (3 bytes, crc32c:");
    assertThat(gcs.storage().get(BlobId.of(BUCKET, "kept/out.zip")).getContent())
        .containsExactly(1, 2, 3);
  }

  @Test
  void theSameBytesAlreadyStoredCountAsTheUpload() throws Exception {
    gcs.put(BUCKET, "same/out.zip", "same bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    long generation = gcs.storage().get(BlobId.of(BUCKET, "same/out.zip")).getGeneration();
    Path local = Files.writeString(dir.resolve("out.zip"), "same bytes");

    Uploader.UploadResult result =
        uploader().upload(local, Locations.parse("gs://" + BUCKET + "/same/out.zip"), false);

    assertThat(result.checksum()).isEqualTo(ChecksumAlgorithm.CRC32C.of(local));
    assertThat(gcs.storage().get(BlobId.of(BUCKET, "same/out.zip")).getGeneration())
        .isEqualTo(generation);
  }

  @Test
  void theStoragesPreconditionRefusesAnObjectThatAppearedMeanwhile() throws Exception {
    // the sink alone, as when another writer stores the object between the Uploader's look and the
    // upload
    gcs.put(BUCKET, "race/out.zip", new byte[] {9});
    Path local = Files.writeString(dir.resolve("out.zip"), "late");
    URI target = Locations.parse("gs://" + BUCKET + "/race/out.zip");
    try (GcsSink sink = new GcsSink(GcsClients.create(gcs.endpoint(), Map.of()))) {
      assertThatThrownBy(() -> sink.upload(local, target, false))
          .isInstanceOf(ObjectExistsException.class)
          .hasMessage(target + " already exists; not replaced");
    }
    assertThat(gcs.storage().get(BlobId.of(BUCKET, "race/out.zip")).getContent())
        .containsExactly(9);
  }

  @Test
  void aMissingBucketIsAPermanentErrorNamingTheTarget() throws Exception {
    Path local = Files.writeString(dir.resolve("x.zip"), "x");
    assertThatThrownBy(
            () -> uploader().upload(local, Locations.parse("gs://no-such-bucket/x.zip"), false))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageContaining("gs://no-such-bucket/x.zip");
  }

  @Test
  void replaceOwnReplacesTheGenerationItStoredWithThatGenerationAsPrecondition() throws Exception {
    Path local = Files.writeString(dir.resolve("out.txt"), "first half");
    URI target = Locations.parse("gs://" + BUCKET + "/own/out.txt");
    Uploader.UploadResult first = uploader().upload(local, target, false);
    assertThat(first.generation())
        .isEqualTo(gcs.storage().get(BlobId.of(BUCKET, "own/out.txt")).getGeneration());
    Files.writeString(local, "the whole result");

    Uploader.UploadResult again = uploader().replaceOwn(local, target, first.stored());

    Blob stored = gcs.storage().get(BlobId.of(BUCKET, "own/out.txt"));
    assertThat(stored.getContent()).isEqualTo("the whole result".getBytes(UTF_8));
    assertThat(again.generation())
        .isEqualTo(stored.getGeneration())
        .isNotEqualTo(first.generation());
    assertThat(again.alreadyStored()).isFalse();
  }

  @Test
  void replaceOwnKeepsAnObjectSomeoneElseStoredSinceEvenWithTheSameBytes() throws Exception {
    Path local = Files.writeString(dir.resolve("out.txt"), "first half");
    URI target = Locations.parse("gs://" + BUCKET + "/theirs/out.txt");
    Uploader.UploadResult first = uploader().upload(local, target, false);
    gcs.put(BUCKET, "theirs/out.txt", "first half".getBytes(UTF_8)); // a new generation
    long theirs = gcs.storage().get(BlobId.of(BUCKET, "theirs/out.txt")).getGeneration();
    Files.writeString(local, "the whole result");

    assertThatThrownBy(() -> uploader().replaceOwn(local, target, first.stored()))
        .isInstanceOf(ObjectExistsException.class)
        .hasMessageContaining("was replaced by someone else since it was stored")
        .hasMessageEndingWith("; not replaced");
    assertThat(gcs.storage().get(BlobId.of(BUCKET, "theirs/out.txt")).getGeneration())
        .isEqualTo(theirs);
  }

  @Test
  void theSinksGenerationPreconditionRefusesAWriterThatCameFirst() throws Exception {
    // the sink alone, as when another writer stores the object between the Uploader's look and
    // the replacement: GCS itself refuses it (412)
    Path local = Files.writeString(dir.resolve("out.txt"), "first half");
    URI target = Locations.parse("gs://" + BUCKET + "/raced/out.txt");
    try (GcsSink sink = new GcsSink(GcsClients.create(gcs.endpoint(), Map.of()))) {
      ExistingObject own = sink.uploadReplacing(local, target, null);
      gcs.put(BUCKET, "raced/out.txt", "another writer".getBytes(UTF_8));
      Files.writeString(local, "the whole result");

      assertThatThrownBy(() -> sink.uploadReplacing(local, target, own))
          .isInstanceOf(ObjectExistsException.class)
          .hasMessage(target + " no longer holds " + own + "; not replaced");
    }
    assertThat(gcs.storage().get(BlobId.of(BUCKET, "raced/out.txt")).getContent())
        .isEqualTo("another writer".getBytes(UTF_8));
  }

  @Test
  void deleteOwnDeletesTheGenerationItStoredOnly() throws Exception {
    Path local = Files.writeString(dir.resolve("out.txt"), "partial");
    URI target = Locations.parse("gs://" + BUCKET + "/deleted/out.txt");
    Uploader.UploadResult first = uploader().upload(local, target, false);
    URI kept = Locations.parse("gs://" + BUCKET + "/deleted/kept.txt");
    Uploader.UploadResult second = uploader().upload(local, kept, false);
    gcs.put(BUCKET, "deleted/kept.txt", "partial".getBytes(UTF_8)); // the same bytes, theirs

    uploader().deleteOwn(target, first.stored());

    assertThat(gcs.storage().get(BlobId.of(BUCKET, "deleted/out.txt"))).isNull();
    assertThatThrownBy(() -> uploader().deleteOwn(kept, second.stored()))
        .isInstanceOf(ObjectExistsException.class);
    assertThat(gcs.storage().get(BlobId.of(BUCKET, "deleted/kept.txt"))).isNotNull();
  }
}
