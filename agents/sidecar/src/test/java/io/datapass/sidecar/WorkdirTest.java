package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkdirTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'FITTING\n'|FITTING",
        "'  LOADING  \r\n'|LOADING",
        "'LOADING\nFITTING\n\n'|FITTING",
        "'\n'|''",
        "''|''",
        "'A\u0007B\u2028C'|A\u0007B\u2028C", // as written: whether it is a state is decided later
      })
  void theStateIsTheLastNonBlankLineTrimmed(String content, String state) throws Exception {
    Files.writeString(dir.resolve("state"), content);

    assertThat(new Workdir(dir).readState()).isEqualTo(state);
  }

  @Test
  void aMissingStateIsEmptyAndALineLongerThanTheBoundIsNoState() throws Exception {
    Workdir workdir = new Workdir(dir);
    assertThat(workdir.readState()).isEmpty();

    Files.writeString(dir.resolve("state"), "X".repeat(10_000));

    assertThat(workdir.readState()).as("cut by the bound: not a whole line").isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"'0\n'|0", "'3\n'|3", "'137'|137", "''|0", "'oops'|-1"})
  void doneHoldsTheExitCode(String content, int code) throws Exception {
    Files.writeString(dir.resolve("done"), content);

    assertThat(new Workdir(dir).readDone()).hasValue(code);
  }

  @Test
  void noDoneYet() throws Exception {
    assertThat(new Workdir(dir).readDone()).isEqualTo(OptionalInt.empty());
  }

  @Test
  @Timeout(20)
  void aSymbolicLinkIsNeverFollowedAndIsWarnedOfOnce() throws Exception {
    Path secret = Files.writeString(dir.resolve("gcs-key.json"), "PRIVATE-KEY-LINE\n0\n");
    Files.createDirectories(dir.resolve("wd"));
    Workdir workdir = new Workdir(dir.resolve("wd"));
    Files.createSymbolicLink(workdir.state(), secret);
    Files.createSymbolicLink(workdir.done(), secret);
    Files.createSymbolicLink(workdir.started(), secret);
    Files.createSymbolicLink(workdir.healthy(), secret);

    try (CapturedLog log = CapturedLog.start()) {
      for (int i = 0; i < 3; i++) {
        assertThat(workdir.readState()).isEmpty();
        assertThat(workdir.readDone()).isEmpty();
        assertThat(workdir.payloadStarted()).isFalse();
        assertThat(workdir.healthyRefreshed()).isNull();
      }

      assertThat(log.text()).doesNotContain("PRIVATE-KEY-LINE");
      for (Path file : new Path[] {workdir.state(), workdir.done(), workdir.healthy()}) {
        assertThat(log.text().split(file + " is a symbolic link, not a regular file: ignored", -1))
            .as("one warning for %s", file)
            .hasSize(2);
      }
    }
  }

  @Test
  @Timeout(20)
  void aFifoNeverBlocksTheReader() throws Exception {
    Workdir workdir = new Workdir(dir);
    for (Path file :
        new Path[] {workdir.state(), workdir.done(), workdir.started(), workdir.healthy()}) {
      mkfifo(file);
    }

    try (CapturedLog log = CapturedLog.start()) {
      assertThat(workdir.readState()).isEmpty();
      assertThat(workdir.readDone()).isEmpty();
      assertThat(workdir.payloadStarted()).isFalse();
      assertThat(workdir.healthyRefreshed()).isNull();

      assertThat(log.text()).contains(workdir.state() + " is a FIFO, not a regular file: ignored");
    }
  }

  @Test
  @Timeout(60)
  void aFifoSwappedInAfterTheCheckNeverBlocksEither() throws Exception {
    Path regular = Files.writeString(dir.resolve("regular"), "STEP\n");
    Path fifo = dir.resolve("fifo");
    mkfifo(fifo);
    Path state = dir.resolve("state");
    AtomicBoolean swapping = new AtomicBoolean(true);
    // rename(2) replaces atomically: the state is a regular file one moment, a FIFO the next
    Thread swapper =
        new Thread(
            () -> {
              Path next = dir.resolve("next");
              try {
                for (boolean even = true; swapping.get(); even = !even) {
                  Files.createLink(next, even ? regular : fifo);
                  Files.move(next, state, StandardCopyOption.ATOMIC_MOVE);
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    swapper.start();
    try {
      Workdir workdir = new Workdir(dir);
      long started = System.nanoTime();
      for (int i = 0; i < 2000; i++) {
        assertThat(workdir.readState()).isIn("", "STEP");
      }
      // at most one read waits for its timeout: a blocked one is not tried again
      assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(20));
    } finally {
      swapping.set(false);
      swapper.join();
      // read-write never blocks, and lets a reader still waiting in open() go
      try (FileChannel release =
          FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        release.write(ByteBuffer.wrap(new byte[0]));
      }
    }
  }

  @Test
  @Timeout(60)
  void aSymbolicLinkSwappedInAfterTheCheckIsIgnoredToo() throws Exception {
    Path regular = Files.writeString(dir.resolve("regular"), "STEP\n");
    Path secret = Files.writeString(dir.resolve("secret"), "PRIVATE-KEY-LINE\n");
    Path link = Files.createSymbolicLink(dir.resolve("link"), secret);
    Path state = dir.resolve("state");
    AtomicBoolean swapping = new AtomicBoolean(true);
    Thread swapper =
        new Thread(
            () -> {
              Path next = dir.resolve("next");
              try {
                for (boolean even = true; swapping.get(); even = !even) {
                  Files.createLink(next, even ? regular : link); // a hard link to the link itself
                  Files.move(next, state, StandardCopyOption.ATOMIC_MOVE);
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    swapper.start();
    try {
      Workdir workdir = new Workdir(dir);
      for (int i = 0; i < 20_000; i++) {
        assertThat(workdir.readState()).isIn("", "STEP");
      }
    } finally {
      swapping.set(false);
      swapper.join();
    }
  }

  @Test
  @Timeout(20)
  void aHugeStateIsReadOnlyAsFarAsItsFirst4KiB() throws Exception {
    Path state = Files.writeString(dir.resolve("state"), "BIG\n" + "X".repeat(5000));
    try (FileChannel file = FileChannel.open(state, StandardOpenOption.WRITE)) {
      file.write(ByteBuffer.wrap(new byte[] {'\n'}), 3L << 30); // sparse: 3 GiB, none on disk
    }
    Files.writeString(dir.resolve("done"), "0\n" + "junk\n".repeat(2000));

    Workdir workdir = new Workdir(dir);

    assertThat(workdir.readState())
        .as("the last whole line within the first 4 KiB")
        .isEqualTo("BIG");
    assertThat(workdir.readDone()).hasValue(0);
  }

  @Test
  void aRegularHealthyFileGivesItsModificationTime() throws Exception {
    Workdir workdir = new Workdir(dir);
    Files.writeString(workdir.healthy(), "");
    Files.setLastModifiedTime(workdir.healthy(), FileTime.fromMillis(1_000_000));

    assertThat(workdir.healthyRefreshed()).isEqualTo(FileTime.fromMillis(1_000_000));
  }

  private static void mkfifo(Path path) throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(mkfifo.exitValue()).isZero();
  }
}
