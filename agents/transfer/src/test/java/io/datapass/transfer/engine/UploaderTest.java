package io.datapass.transfer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.file.FileSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uploader over a real filesystem (the file sink). */
class UploaderTest {
  @TempDir Path dir;

  private final Uploader uploader =
      new Uploader(
          new SinkRegistry().register("file", FileSink::new),
          new RetryPolicy(3, Duration.ofMillis(1), Duration.ofSeconds(5)));

  @Test
  void aSymbolicLinkIsRefusedAtOnceNamingIt() throws Exception {
    Path secret = Files.writeString(dir.resolve("key.json"), "PRIVATE-KEY-LINE\n");
    Path local = Files.createSymbolicLink(dir.resolve("out.txt"), secret);
    Path target = dir.resolve("stored/out.txt");

    assertThatThrownBy(() -> uploader.upload(local, target.toUri(), false))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessage(local + " is a symbolic link: not read through it");
    assertThat(target).doesNotExist();
  }

  @Test
  void aSymbolicLinkToTheStoredBytesDoesNotPassForThem() throws Exception {
    // what looking first reads is the local file itself, never a link's target
    Path stored = Files.createDirectories(dir.resolve("stored"));
    Files.writeString(stored.resolve("out.txt"), "PRIVATE-KEY-LINE\n");
    Path secret = Files.writeString(dir.resolve("key.json"), "PRIVATE-KEY-LINE\n");
    Path local = Files.createSymbolicLink(dir.resolve("out.txt"), secret);

    assertThatThrownBy(() -> uploader.upload(local, stored.resolve("out.txt").toUri(), false))
        .isInstanceOf(TransferException.class)
        .hasMessage(local + " is a symbolic link: not read through it");
  }

  @Test
  void theSameBytesAlreadyStoredAreNotSentAgain() throws Exception {
    Path local = Files.writeString(dir.resolve("out.txt"), "result\n");
    Path target = dir.resolve("stored/out.txt");

    Uploader.UploadResult first = uploader.upload(local, target.toUri(), false);
    Object stored = Files.readAttributes(target, "unix:ino");
    Uploader.UploadResult again = uploader.upload(local, target.toUri(), false);

    assertThat(first.alreadyStored()).isFalse();
    assertThat(again.alreadyStored()).isTrue();
    assertThat(again.checksum()).isEqualTo(first.checksum());
    assertThat(Files.readAttributes(target, "unix:ino")).isEqualTo(stored);
  }
}
