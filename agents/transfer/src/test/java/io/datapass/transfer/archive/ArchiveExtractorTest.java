package io.datapass.transfer.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.testing.Archives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("ArchiveExtractor with well-formed archives")
class ArchiveExtractorTest {
  private final ArchiveExtractor extractor = new ArchiveExtractor(ExtractionLimits.DEFAULT);
  private final byte[] blob = new byte[300_000];

  @TempDir Path dir;
  private Path target;

  @BeforeEach
  void setUp() {
    new Random(7).nextBytes(blob);
    target = dir.resolve("out");
  }

  @Test
  void zipWithNestedDirsAndAnInsideSymlink() throws IOException {
    Path archive =
        Archives.zip()
            .dir("data/")
            .file("data/a.txt", "alpha")
            .file("data/deep/er/b.bin", blob)
            .dir("empty/")
            .symlink("latest", "data/deep/er/b.bin")
            .symlink("data/deep/up", "../a.txt")
            .writeTo(dir.resolve("in.zip"));

    ExtractionResult result = extractor.extract(archive, target);

    assertThat(result).isEqualTo(new ExtractionResult(2, 5 + blob.length));
    assertThat(target.resolve("data/a.txt")).hasContent("alpha");
    assertThat(Files.readAllBytes(target.resolve("data/deep/er/b.bin"))).isEqualTo(blob);
    assertThat(target.resolve("empty")).isEmptyDirectory();
    assertThat(Files.readSymbolicLink(target.resolve("latest")))
        .isEqualTo(Path.of("data/deep/er/b.bin"));
    assertThat(Files.readAllBytes(target.resolve("latest"))).isEqualTo(blob);
    assertThat(Files.readSymbolicLink(target.resolve("data/deep/up")))
        .isEqualTo(Path.of("../a.txt"));
    assertThat(target.resolve("data/deep/up")).hasContent("alpha");
    assertThat(namesIn(target)).containsExactlyInAnyOrder("data", "empty", "latest");
  }

  @Test
  void tarGzWithNestedDirsLinksAndModes() throws IOException {
    Path archive =
        Archives.tar()
            .dir("pkg")
            .file("pkg/lib/v1/core.bin", blob)
            .executable("pkg/bin/run.sh", "#!/bin/sh\necho hi\n")
            .file("pkg/README", "read me")
            .symlink("pkg/lib/current", "v1")
            .hardlink("pkg/README.copy", "pkg/README")
            .writeGzipTo(dir.resolve("in.tar.gz"));

    ExtractionResult result = extractor.extract(archive, target);

    assertThat(result.files()).isEqualTo(3);
    assertThat(result.bytes())
        .isEqualTo(blob.length + "#!/bin/sh\necho hi\n".length() + "read me".length());
    assertThat(Files.readAllBytes(target.resolve("pkg/lib/v1/core.bin"))).isEqualTo(blob);
    assertThat(Files.readAllBytes(target.resolve("pkg/lib/current/core.bin"))).isEqualTo(blob);
    assertThat(Files.isSymbolicLink(target.resolve("pkg/lib/current"))).isTrue();
    assertThat(target.resolve("pkg/README.copy")).hasContent("read me");
    assertThat(Files.isSameFile(target.resolve("pkg/README"), target.resolve("pkg/README.copy")))
        .isTrue();
    assertThat(Files.getPosixFilePermissions(target.resolve("pkg/bin/run.sh")))
        .contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(Files.getPosixFilePermissions(target.resolve("pkg/README")))
        .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
  }

  @Test
  void chainedSymlinksThatStayInsideAreKept() throws IOException {
    Path archive =
        Archives.tar()
            .file("lib/v1/core.bin", blob)
            .symlink("lib/current", "v1")
            .symlink("lib/self", "..")
            .symlink("core", "lib/self/lib/current/core.bin")
            .writeGzipTo(dir.resolve("in.tgz"));

    extractor.extract(archive, target);

    assertThat(Files.readAllBytes(target.resolve("core"))).isEqualTo(blob);
    assertThat(target.resolve("lib/self").toRealPath()).isEqualTo(target.toRealPath());
  }

  @Test
  void plainTarIsDetectedByContentNotName() throws IOException {
    Path archive = Archives.tar().file("x/y.txt", "why").writeTo(dir.resolve("misnamed.zip"));

    extractor.extract(archive, target);

    assertThat(target.resolve("x/y.txt")).hasContent("why");
  }

  @Test
  void mergesIntoAnExistingTargetAndReplacesFiles() throws IOException {
    Files.createDirectories(target.resolve("data"));
    Files.writeString(target.resolve("keep.txt"), "kept");
    Files.writeString(target.resolve("data/a.txt"), "old");
    Path archive =
        Archives.zip()
            .file("data/a.txt", "new")
            .file("data/b.txt", "bee")
            .writeTo(dir.resolve("in.zip"));

    extractor.extract(archive, target);

    assertThat(target.resolve("keep.txt")).hasContent("kept");
    assertThat(target.resolve("data/a.txt")).hasContent("new");
    assertThat(target.resolve("data/b.txt")).hasContent("bee");
    assertThat(namesIn(target)).containsExactlyInAnyOrder("data", "keep.txt");
  }

  @Test
  void emptyFileAndDotSegmentsInsideTheTree() throws IOException {
    Path archive =
        Archives.tar()
            .file("./a/./b/../c.txt", "see")
            .file("a/empty", new byte[0])
            .writeGzipTo(dir.resolve("in.tgz"));

    ExtractionResult result = extractor.extract(archive, target);

    assertThat(result).isEqualTo(new ExtractionResult(2, 3));
    assertThat(target.resolve("a/c.txt")).hasContent("see");
    assertThat(target.resolve("a/empty")).isEmptyFile();
  }

  @Test
  void limitsExactlyReachedAreAccepted() throws IOException {
    Path archive =
        Archives.zip()
            .file("a", new byte[10])
            .file("b", new byte[10])
            .writeTo(dir.resolve("in.zip"));

    ExtractionResult result =
        new ArchiveExtractor(new ExtractionLimits(20, 2, 1)).extract(archive, target);

    assertThat(result).isEqualTo(new ExtractionResult(2, 20));
  }

  @Test
  void notAnArchiveIsAPermanentFailure() throws IOException {
    Path notArchive = Files.writeString(dir.resolve("data.zip"), "just text, not an archive");

    assertThatThrownBy(() -> extractor.extract(notArchive, target))
        .isInstanceOf(TransferException.class)
        .hasMessageContaining("not an archive datapass can unpack")
        .hasMessageContaining("data.zip")
        .matches(e -> !((TransferException) e).isRetryable());
    assertThat(Files.exists(target)).isFalse();
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new ExtractionLimits(0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExtractionLimits(1, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExtractionLimits(1, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static List<String> namesIn(Path directory) throws IOException {
    try (Stream<Path> children = Files.list(directory)) {
      return children.map(p -> p.getFileName().toString()).toList();
    }
  }
}
