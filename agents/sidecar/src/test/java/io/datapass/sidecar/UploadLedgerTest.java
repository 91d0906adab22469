package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.storage.ExistingObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upload ledger on disk, as a restarted sidecar reads it back. */
class UploadLedgerTest {
  private static final String A = "gs://bucket/out/job-42/a.txt";
  private static final String B = "gs://bucket/out/job-42/b.txt";
  private static final ExistingObject STORED =
      new ExistingObject(3, Checksum.parse("crc32c:df58f1e6"), 1700000000123456L);

  @TempDir Path dir;

  @Test
  void aReopenedLedgerHasWhatWasStoredAndWhatWasBeingSent() throws Exception {
    try (UploadLedger ledger = UploadLedger.open(dir)) {
      ledger.sending(A, new FileVersion(3, 11));
      ledger.stored(A, new FileVersion(3, 11), STORED);
      ledger.sending(B, new FileVersion(5, 12));
    }

    try (UploadLedger reopened = UploadLedger.open(dir)) {
      assertThat(reopened.own(A)).isEqualTo(new UploadLedger.Entry(new FileVersion(3, 11), STORED));
      assertThat(reopened.wasSending(A)).isFalse();
      assertThat(reopened.own(B)).isNull();
      assertThat(reopened.wasSending(B)).as("a crash may have come after its object").isTrue();
    }
  }

  @Test
  void anObjectFoundStoredBySomeoneElseOrDroppedIsNotOurs() throws Exception {
    try (UploadLedger ledger = UploadLedger.open(dir)) {
      ledger.sending(A, new FileVersion(3, 11));
      ledger.found(A, new FileVersion(3, 11));
      ledger.stored(B, new FileVersion(3, 11), STORED);
      ledger.dropped(B);
    }

    try (UploadLedger reopened = UploadLedger.open(dir)) {
      assertThat(reopened.wasSending(A)).isFalse();
      assertThat(reopened.own(A)).isNull();
      assertThat(reopened.own(B)).isNull();
      assertThat(reopened.owned()).isEmpty();
    }
  }

  @Test
  void aLineCutByACrashIsIgnoredAndTheNextRecordsAreKept() throws Exception {
    try (UploadLedger ledger = UploadLedger.open(dir)) {
      ledger.stored(A, new FileVersion(3, 11), STORED);
    }
    Files.writeString(
        dir.resolve(UploadLedger.FILE),
        "{\"target\":\"" + B + "\",\"event\":\"sto",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    try (UploadLedger reopened = UploadLedger.open(dir)) {
      reopened.stored(B, new FileVersion(5, 12), STORED);
    }

    try (UploadLedger again = UploadLedger.open(dir)) {
      assertThat(again.owned()).containsOnlyKeys(A, B);
    }
    assertThat(Files.readAllLines(dir.resolve(UploadLedger.FILE))).hasSize(3);
  }

  @Test
  void inMemoryItKeepsNothingOnDisk() throws Exception {
    try (UploadLedger ledger = UploadLedger.inMemory()) {
      ledger.stored(A, new FileVersion(3, 11), STORED);
      assertThat(ledger.own(A)).isNotNull();
    }
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
