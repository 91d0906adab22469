package io.datapass.transfer.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobId;
import io.datapass.transfer.storage.Locations;
import io.datapass.transfer.storage.MissingBucketException;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.testing.FakeGcsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("GcsSink: against fake-gcs-server")
@Timeout(60)
class GcsSinkIT {
  private static final String BUCKET = "datapass-sink";

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

  @Test
  void aSymbolicLinkFailsTheUploadNamingItAndItsTargetIsNotStored() throws Exception {
    Path secret = Files.writeString(dir.resolve("key.json"), "PRIVATE-KEY-LINE\n");
    Path local = Files.createSymbolicLink(dir.resolve("out.txt"), secret);

    try (GcsSink sink = new GcsSink(GcsClients.create(gcs.endpoint(), Map.of()))) {
      assertThatThrownBy(
              () -> sink.upload(local, Locations.parse("gs://" + BUCKET + "/out.txt"), false))
          .isInstanceOfSatisfying(
              TransferException.class, e -> assertThat(e.isRetryable()).isFalse())
          .hasMessage(local + " is a symbolic link: not read through it");
    }
    assertThat(gcs.storage().get(BlobId.of(BUCKET, "out.txt"))).isNull();
  }

  @Test
  void aMissingBucketIsToldApartFromAMissingObjectForEveryWayIn() throws Exception {
    Path local = Files.writeString(dir.resolve("out.txt"), "output\n");
    var missing = Locations.parse("gs://nobucket/outputs/out.txt");
    try (GcsSink sink = new GcsSink(GcsClients.create(gcs.endpoint(), Map.of()));
        GcsSource source = new GcsSource(GcsClients.create(gcs.endpoint(), Map.of()))) {
      assertThatThrownBy(() -> sink.upload(local, missing, false))
          .isInstanceOfSatisfying(
              MissingBucketException.class, e -> assertThat(e.bucket()).isEqualTo("nobucket"))
          .hasMessage("bucket nobucket does not exist (gs://nobucket/outputs/out.txt)");
      assertThatThrownBy(() -> sink.upload(local, missing, true))
          .isInstanceOf(MissingBucketException.class);
      assertThatThrownBy(
              () -> {
                try (var stream = sink.openUpload(missing, false)) {
                  stream.write(new byte[] {1, 2, 3});
                  stream.commit();
                }
              })
          .isInstanceOf(MissingBucketException.class);
      assertThatThrownBy(() -> source.stat(missing)).isInstanceOf(MissingBucketException.class);
      assertThatThrownBy(() -> source.list(Locations.parse("gs://nobucket/outputs/")))
          .isInstanceOf(MissingBucketException.class);
      assertThatThrownBy(() -> source.stat(Locations.parse("gs://" + BUCKET + "/absent.txt")))
          .isNotInstanceOf(MissingBucketException.class)
          .hasMessage("object not found: gs://" + BUCKET + "/absent.txt");
    }
  }
}
