package io.datapass.transfer.storage.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.transfer.checksum.ChecksumAlgorithm;
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

    var checksum = new FileSink().upload(local, target.toUri());

    assertThat(target).hasBinaryContent(content);
    assertThat(checksum).isEqualTo(ChecksumAlgorithm.CRC32C.of(local));
    try (Stream<Path> stored = Files.list(target.getParent())) {
      assertThat(stored).containsExactly(target);
    }
  }

  @Test
  void replacesWhatIsThere() throws Exception {
    Path target = Files.writeString(dir.resolve("out.txt"), "old");
    new FileSink().upload(Files.writeString(dir.resolve("new.txt"), "new results"), target.toUri());
    assertThat(target).hasContent("new results");
  }
}
