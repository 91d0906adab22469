package io.datapass.transfer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.ExistingObject;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.file.FileSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
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

  @Nested
  @DisplayName("replaceOwn")
  class ReplaceOwn {
    @Test
    void replacesTheObjectItStoredWithTheFilesNewBytes() throws Exception {
      Path local = Files.writeString(dir.resolve("out.txt"), "first half");
      Path target = dir.resolve("stored/out.txt");
      Uploader.UploadResult first = uploader.upload(local, target.toUri(), false);
      Files.writeString(local, "the whole result");

      Uploader.UploadResult again = uploader.replaceOwn(local, target.toUri(), first.stored());

      assertThat(target).hasContent("the whole result");
      assertThat(again.alreadyStored()).isFalse();
      assertThat(again.checksum()).isEqualTo(ChecksumAlgorithm.CRC32C.of(local));
      assertThat(again.bytes()).isEqualTo(16);
      assertNoTemporaryIn(target.getParent());
    }

    @Test
    void anObjectReplacedBySomeoneElseSinceIsKept() throws Exception {
      Path local = Files.writeString(dir.resolve("out.txt"), "first half");
      Path target = dir.resolve("stored/out.txt");
      Uploader.UploadResult first = uploader.upload(local, target.toUri(), false);
      Files.writeString(target, "another writer's result");
      Files.writeString(local, "the whole result");

      assertThatThrownBy(() -> uploader.replaceOwn(local, target.toUri(), first.stored()))
          .isInstanceOf(ObjectExistsException.class)
          .hasMessageStartingWith(
              target.toUri() + " was replaced by someone else since it was stored (now 23 bytes,")
          .hasMessageEndingWith("); not replaced");
      assertThat(target).hasContent("another writer's result");
      assertNoTemporaryIn(target.getParent());
    }

    @Test
    void theSameBytesAreNotSentAgain() throws Exception {
      Path local = Files.writeString(dir.resolve("out.txt"), "result");
      Path target = dir.resolve("stored/out.txt");
      Uploader.UploadResult first = uploader.upload(local, target.toUri(), false);
      Object inode = Files.readAttributes(target, "unix:ino");
      Files.writeString(local, "result"); // rewritten: a new modification time, the same bytes

      Uploader.UploadResult again = uploader.replaceOwn(local, target.toUri(), first.stored());

      assertThat(again.alreadyStored()).isTrue();
      assertThat(Files.readAttributes(target, "unix:ino")).isEqualTo(inode);
    }

    @Test
    void anObjectRemovedSinceIsStoredAnew() throws Exception {
      Path local = Files.writeString(dir.resolve("out.txt"), "first half");
      Path target = dir.resolve("stored/out.txt");
      Uploader.UploadResult first = uploader.upload(local, target.toUri(), false);
      Files.delete(target);
      Files.writeString(local, "the whole result");

      uploader.replaceOwn(local, target.toUri(), first.stored());

      assertThat(target).hasContent("the whole result");
    }

    @Test
    void theSinkLooksAgainJustBeforeItsRename() throws Exception {
      // the sink alone, as when another writer stores the file between the Uploader's look and the
      // rename
      Path local = Files.writeString(dir.resolve("out.txt"), "first half");
      Path target = dir.resolve("stored/out.txt");
      FileSink sink = new FileSink();
      ExistingObject own = sink.uploadReplacing(local, target.toUri(), null);
      Files.writeString(target, "another writer's result");
      Files.writeString(local, "the whole result");

      assertThatThrownBy(() -> sink.uploadReplacing(local, target.toUri(), own))
          .isInstanceOf(ObjectExistsException.class)
          .hasMessage(target + " no longer holds " + own + "; not replaced");
      assertThat(target).hasContent("another writer's result");
      assertNoTemporaryIn(target.getParent());
    }

    @Test
    void deleteOwnDeletesOnlyTheObjectItStored() throws Exception {
      Path local = Files.writeString(dir.resolve("out.txt"), "partial");
      Path target = dir.resolve("stored/out.txt");
      Uploader.UploadResult first = uploader.upload(local, target.toUri(), false);
      Path theirs = dir.resolve("stored/theirs.txt");
      Uploader.UploadResult other =
          uploader.upload(Files.writeString(dir.resolve("theirs.txt"), "a"), theirs.toUri(), false);
      Files.writeString(theirs, "replaced by another writer");

      uploader.deleteOwn(target.toUri(), first.stored());
      uploader.deleteOwn(target.toUri(), first.stored()); // gone already: no failure

      assertThat(target).doesNotExist();
      assertThatThrownBy(() -> uploader.deleteOwn(theirs.toUri(), other.stored()))
          .isInstanceOf(ObjectExistsException.class)
          .hasMessageEndingWith("; not deleted");
      assertThat(theirs).hasContent("replaced by another writer");
    }

    private void assertNoTemporaryIn(Path directory) throws IOException {
      try (Stream<Path> files = Files.list(directory)) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.txt");
      }
    }
  }
}
