package io.datapass.transfer.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.ExistingObject;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.TransferException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
  @TempDir Path dir;

  @Test
  void copiesIntoNewDirectoriesVerifiedWithNoTemporaryLeft() throws Exception {
    byte[] content = new byte[3_000_000];
    new Random(11).nextBytes(content);
    Path local = Files.write(dir.resolve("out.zip"), content);
    Path target = dir.resolve("shared/results/job 3/out.zip");

    var checksum = new FileSink().upload(local, target.toUri(), false);

    assertThat(target).hasBinaryContent(content);
    assertThat(checksum).isEqualTo(ChecksumAlgorithm.CRC32C.of(local));
    try (Stream<Path> stored = Files.list(target.getParent())) {
      assertThat(stored).containsExactly(target);
    }
  }

  @Test
  void replacesWhatIsThereWhenTold() throws Exception {
    Path target = Files.writeString(dir.resolve("out.txt"), "old");
    new FileSink()
        .upload(Files.writeString(dir.resolve("new.txt"), "new results"), target.toUri(), true);
    assertThat(target).hasContent("new results");
  }

  @Test
  void otherwiseNeverReplacesWhatIsThereAndLeavesNoTemporary() throws Exception {
    Files.createDirectories(dir.resolve("shared"));
    Path target = Files.writeString(dir.resolve("shared/out.txt"), "old");
    Path local = Files.writeString(dir.resolve("new.txt"), "new results");

    assertThatThrownBy(() -> new FileSink().upload(local, target.toUri(), false))
        .isInstanceOfSatisfying(
            ObjectExistsException.class, e -> assertThat(e.target()).isEqualTo(target.toUri()))
        .hasMessage(target + " already exists; not replaced");
    assertThat(target).hasContent("old");
    try (Stream<Path> stored = Files.list(dir.resolve("shared"))) {
      assertThat(stored).containsExactly(target);
    }
  }

  @Test
  void reportsWhatIsStoredWithItsCrc32c() throws Exception {
    Path target = Files.writeString(dir.resolve("out.txt"), "stored");
    assertThat(new FileSink().existing(target.toUri()))
        .contains(new ExistingObject(6, ChecksumAlgorithm.CRC32C.of(target)));
    assertThat(new FileSink().existing(dir.resolve("none.txt").toUri())).isEmpty();
  }

  @Test
  void aSymbolicLinkFailsTheUploadNamingItAndItsTargetIsNotStored() throws Exception {
    Path secret = Files.writeString(dir.resolve("key.json"), "PRIVATE-KEY-LINE\n");
    Path local = Files.createSymbolicLink(dir.resolve("out.txt"), secret);
    Path target = dir.resolve("shared/out.txt");

    assertThatThrownBy(() -> new FileSink().upload(local, target.toUri(), false))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessage(local + " is a symbolic link: not read through it");
    assertThat(target).doesNotExist();
    try (Stream<Path> stored = Files.list(dir.resolve("shared"))) {
      assertThat(stored).as("no temporary left").isEmpty();
    }
  }

  @Test
  void aSymbolicLinkAtTheTargetIsNotWhatIsStored() throws Exception {
    Path elsewhere = Files.writeString(dir.resolve("elsewhere.txt"), "stored");
    Path target = Files.createSymbolicLink(dir.resolve("out.txt"), elsewhere);

    assertThat(new FileSink().existing(target.toUri())).isEmpty();
    assertThatThrownBy(
            () ->
                new FileSink()
                    .upload(
                        Files.writeString(dir.resolve("new.txt"), "stored"), target.toUri(), false))
        .isInstanceOf(ObjectExistsException.class);
    assertThat(elsewhere).hasContent("stored");
  }
}
