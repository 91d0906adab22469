package io.datapass.transfer.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcsSourceTest {
  @Test
  void encodesEverythingButUnreservedCharactersInAPathSegment() {
    assertThat(GcsSource.encodePathSegment("runs/run 1/ü+x~_.-.root"))
        .isEqualTo("runs%2Frun%201%2F%C3%BC%2Bx~_.-.root");
  }

  @Test
  void mediaUrlPinsTheGenerationOnTheClientsHost() {
    GcsSource source = new GcsSource(GcsClients.create("http://127.0.0.1:4443/", Map.of()));

    assertThat(source.mediaUrl(BlobId.of("bucket-1", "a/b c.bin"), "1700000000000001"))
        .hasToString(
            "http://127.0.0.1:4443/storage/v1/b/bucket-1/o/a%2Fb%20c.bin?alt=media&generation=1700000000000001");
    assertThat(source.mediaUrl(BlobId.of("bucket-1", "x"), ""))
        .hasToString("http://127.0.0.1:4443/storage/v1/b/bucket-1/o/x?alt=media");
  }
}
