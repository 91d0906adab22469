package io.datapass.transfer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A payload's tree read while the payload swaps a directory in it for a link. */
@Timeout(60)
class ContainedTreeTest {
  @TempDir Path dir;

  private Path output() throws IOException {
    Path output = Files.createDirectories(dir.resolve("output"));
    Files.writeString(Files.createDirectories(output.resolve("d")).resolve("key.json"), "own");
    return output;
  }

  /** Outside the tree: what a link in it would lead to (the node's secrets). */
  private Path secrets() throws IOException {
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("key.json"), "SECRET");
    return secrets;
  }

  @Test
  void aDirectoryAlreadySwappedForALinkIsNotReadThroughNorListedInto() throws Exception {
    Path output = output();
    Path secrets = secrets();
    Files.move(output.resolve("d"), dir.resolve("d.real"));
    Files.createSymbolicLink(output.resolve("d"), secrets);
    Path file = output.resolve("d").resolve("key.json");
    ContainedTree tree = LocalFiles.confineReadsTo(output);

    assertThatThrownBy(() -> LocalFiles.openToRead(file))
        .isInstanceOf(TransferException.class)
        .hasMessage(file + ": d is a symbolic link: not read through it");
    assertThatThrownBy(() -> LocalFiles.size(file)).isInstanceOf(TransferException.class);
    assertThatThrownBy(() -> LocalFiles.attributes(file)).isInstanceOf(TransferException.class);
    assertThat(tree.list())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.name()).isEqualTo("d");
              assertThat(entry.attributes().isSymbolicLink()).isTrue();
            });
  }

  @Test
  void removingTheTreeDeletesALinkNotWhatItLeadsTo() throws Exception {
    Path output = output();
    Path secrets = secrets();
    Files.createSymbolicLink(output.resolve("d").resolve("keys"), secrets);
    Files.createSymbolicLink(output.resolve("top"), secrets);

    new ContainedTree(output).removeContents();

    assertThat(output).isEmptyDirectory();
    assertThat(secrets.resolve("key.json")).hasContent("SECRET");
  }

  @Test
  void aFileReachedThroughRealDirectoriesIsReadAndListed() throws Exception {
    Path output = output();
    ContainedTree tree = LocalFiles.confineReadsTo(output);
    assertThat(tree.list())
        .extracting(ContainedTree.Entry::name)
        .containsExactly("d", "d/key.json");
    assertThat(read(output.resolve("d/key.json"))).isEqualTo("own");
    assertThat(LocalFiles.size(output.resolve("d/key.json"))).isEqualTo(3);
  }

  /**
   * A real race: a thread (the payload) swaps {@code d} for a link to the secrets and back as fast
   * as it can while the reader opens {@code d/key.json} again and again; it never gets the secret.
   */
  @Test
  void aDirectorySwappedForALinkWhileFilesAreOpenedNeverLeadsOutside() throws Exception {
    Path output = output();
    Path secrets = secrets();
    LocalFiles.confineReadsTo(output);
    Path d = output.resolve("d");
    Path aside = output.resolve(".d");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger swaps = new AtomicInteger();
    Thread swapper =
        new Thread(
            () -> {
              try {
                while (!stop.get()) {
                  Files.move(d, aside);
                  Files.createSymbolicLink(d, secrets);
                  Thread.onSpinWait();
                  Files.delete(d);
                  Files.move(aside, d);
                  swaps.incrementAndGet();
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    swapper.start();
    int own = 0;
    int refused = 0;
    long end = System.nanoTime() + 1_500_000_000L;
    try {
      while (System.nanoTime() < end) {
        try {
          String read = read(d.resolve("key.json"));
          assertThat(read).isEqualTo("own");
          own++;
        } catch (IOException refusedOrGone) {
          refused++;
        }
      }
    } finally {
      stop.set(true);
      swapper.join();
    }
    assertThat(swaps.get()).isGreaterThan(100);
    assertThat(refused).isPositive(); // the reader did meet the link
    assertThat(own).isPositive();
  }

  private static String read(Path file) throws IOException {
    try (FileChannel in = LocalFiles.openToRead(file)) {
      ByteBuffer buffer = ByteBuffer.allocate(64);
      in.read(buffer);
      return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
  }
}
