package io.datapass.transfer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.storage.xrootd.XrootdSink;
import io.datapass.transfer.storage.xrootd.XrootdSource;
import io.datapass.xrootd.XrootdClient;
import io.datapass.xrootd.XrootdSettings;
import io.datapass.xrootd.testing.XrootdTestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.Adler32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("root:// in the transfer engine, against Debian's xrootd")
class XrootdTransferIT {
  /**
   * How long the killer thread waits for the download to reach 60 MiB, and restarts the server, at
   * most.
   */
  private static final Duration KILLER_DEADLINE = Duration.ofMinutes(2);

  private static XrootdTestServer server;
  private static XrootdClient client;
  private static ProgressReporter progress;
  private static Fetcher fetcher;
  private static SourceRegistry sources;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    server = XrootdTestServer.standalone();
    client = new XrootdClient(XrootdSettings.defaults().withRequestTimeout(Duration.ofSeconds(20)));
    progress = new ProgressReporter(Duration.ofSeconds(1), Duration.ofSeconds(30));
    sources = new SourceRegistry().register("root", () -> new XrootdSource(client, 1 << 20, 4));
    fetcher =
        new Fetcher(
            sources,
            TransferSettings.defaults()
                .withRetryPolicy(
                    new RetryPolicy(30, Duration.ofMillis(200), Duration.ofSeconds(1))),
            progress);
  }

  @AfterAll
  static void stop() throws Exception {
    if (progress != null) {
      progress.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String adler32(Path file) throws IOException {
    Adler32 adler = new Adler32();
    byte[] buffer = new byte[1 << 20];
    try (var in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        adler.update(buffer, 0, n);
      }
    }
    return String.format("%08x", adler.getValue());
  }

  @Test
  void downloadsAndVerifiesAgainstTheServersAdler32() throws Exception {
    byte[] content = random(6_000_000, 1);
    server.put("t/run1.root", content);
    FetchResult result =
        fetcher.fetch(new FetchRequest(server.url("t/run1.root"), dir.resolve("run1.root"), null));
    assertThat(dir.resolve("run1.root")).hasBinaryContent(content);
    assertThat(result.checksum().algorithm()).isEqualTo(ChecksumAlgorithm.ADLER32);
    assertThat(result.checksum().hex()).isEqualTo(adler32(dir.resolve("run1.root")));
  }

  @Test
  void serverKilledMidDownloadAndRestartedResumesAndTheChecksumMatches() throws Exception {
    Path source = server.file("kill/big.bin");
    Files.createDirectories(source.getParent());
    Random random = new Random(2);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(source)) {
      for (int i = 0; i < 400; i++) {
        random.nextBytes(block);
        out.write(block);
      }
    }
    XrootdTestServer.giveToServer(source.getParent());
    XrootdTestServer.giveToServer(source);
    Path target = dir.resolve("big.bin");
    AtomicReference<Exception> killerFailure = new AtomicReference<>();
    Thread killer =
        new Thread(
            () -> {
              try {
                long deadline = System.nanoTime() + KILLER_DEADLINE.toNanos();
                while (partialSize() < 60L << 20) {
                  if (Files.exists(target) || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                        "the download never reached 60 MiB while running");
                  }
                  Thread.sleep(2);
                }
                server.kill();
                Thread.sleep(1500);
                server.restart();
              } catch (Exception e) {
                killerFailure.set(e);
              }
            },
            "xrootd-killer");
    killer.setDaemon(true);
    killer.start();
    FetchResult result;
    try {
      result = fetcher.fetch(new FetchRequest(server.url("kill/big.bin"), target, null));
    } finally {
      killer.join(KILLER_DEADLINE.plusSeconds(30).toMillis());
      assertThat(killer.isAlive()).as("the killer thread finished").isFalse();
      assertThat(killerFailure.get()).as("killing and restarting the server").isNull();
    }
    assertThat(result.resumedFrom()).isGreaterThan(0);
    assertThat(result.attempts()).isGreaterThan(1);
    assertThat(Files.mismatch(source, target)).isEqualTo(-1);
    assertThat(result.checksum().hex()).isEqualTo(adler32(source));
  }

  private long partialSize() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".part"))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }

  @Test
  void aCorruptedByteIsCaughtByTheChecksumAndNothingLandsUnderTheFinalName() throws Exception {
    byte[] content = random(2_000_000, 3);
    Adler32 adler = new Adler32();
    adler.update(content);
    Checksum expected =
        new Checksum(ChecksumAlgorithm.ADLER32, String.format("%08x", adler.getValue()));
    content[1_234_567] ^= 0x40;
    server.put("t/corrupt.root", content);
    Path target = dir.resolve("corrupt.root");
    assertThatThrownBy(
            () -> fetcher.fetch(new FetchRequest(server.url("t/corrupt.root"), target, expected)))
        .isInstanceOfSatisfying(
            TransferException.class,
            e -> {
              assertThat(e.isRetryable()).isFalse();
              assertThat(e.getMessage())
                  .contains("checksum mismatch", "corrupt.root", expected.toString());
            });
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void missingFileIsPermanentAndNamesThePath() {
    assertThatThrownBy(
            () ->
                fetcher.fetch(new FetchRequest(server.url("t/none.root"), dir.resolve("x"), null)))
        .isInstanceOfSatisfying(
            TransferException.class,
            e -> {
              assertThat(e.isRetryable()).isFalse();
              assertThat(e.getMessage()).contains("/data/t/none.root", "not found");
            });
  }

  @Test
  void listsADirectoryRecursively() throws Exception {
    server.put("tree/a/1.root", new byte[] {1});
    server.put("tree/b/c/2.root", new byte[] {2});
    var listed = sources.sourceFor(server.url("tree/")).list(server.url("tree/"));
    assertThat(listed)
        .extracting(URI::getPath)
        .containsExactly("//data/tree/a/1.root", "//data/tree/b/c/2.root");
  }

  @Test
  void uploadsIntoNewDirectoriesVerifiedWithNoTemporaryLeft() throws Exception {
    Path local = dir.resolve("out.zip");
    Files.write(local, random(5_000_000, 4));
    Uploader uploader =
        new Uploader(
            new SinkRegistry().register("root", () -> new XrootdSink(client, 1 << 20, 4)),
            new RetryPolicy(2, Duration.ofMillis(100), Duration.ofMillis(500)));
    URI target = server.url("outputs/job-42/job-42-output.zip");
    Uploader.UploadResult result = uploader.upload(local, target, false);
    assertThat(Files.mismatch(local, server.file("outputs/job-42/job-42-output.zip")))
        .isEqualTo(-1);
    assertThat(result.checksum().hex()).isEqualTo(adler32(local));
    try (Stream<Path> stored = Files.list(server.file("outputs/job-42"))) {
      assertThat(stored.map(p -> p.getFileName().toString())).containsExactly("job-42-output.zip");
    }
  }

  @Test
  void uploadsAndListsWithTheUrlsCgiKept() throws Exception {
    Path local = dir.resolve("small.bin");
    Files.write(local, random(300_000, 5));
    Uploader uploader =
        new Uploader(
            new SinkRegistry().register("root", () -> new XrootdSink(client, 1 << 20, 4)),
            RetryPolicy.standard(0));
    URI target = URI.create(server.url("cgi/out.bin") + "?datapass.test=1");
    uploader.upload(local, target, false);
    assertThat(Files.mismatch(local, server.file("cgi/out.bin"))).isEqualTo(-1);
    var listed =
        sources.sourceFor(target).list(URI.create(server.url("cgi/") + "?datapass.test=1"));
    assertThat(listed).extracting(URI::getRawQuery).containsExactly("datapass.test=1");
  }

  @Test
  void anUploadThatMustNotReplaceLeavesAnotherFileInPlace() throws Exception {
    server.put("kept/out.zip", new byte[] {1, 2, 3});
    Path local = Files.write(dir.resolve("out.zip"), random(100_000, 6));
    Uploader uploader =
        new Uploader(
            new SinkRegistry().register("root", () -> new XrootdSink(client, 1 << 20, 4)),
            RetryPolicy.standard(0));

    assertThatThrownBy(() -> uploader.upload(local, server.url("kept/out.zip"), false))
        .isInstanceOf(ObjectExistsException.class)
        .hasMessageContaining("already exists with other content");
    assertThat(server.file("kept/out.zip")).hasBinaryContent(new byte[] {1, 2, 3});
  }

  @Test
  void theSinkLooksAtTheFinalNameJustBeforeItsRename() throws Exception {
    // the sink alone, as when another writer stores the file between the Uploader's look and the
    // rename
    server.put("race/out.zip", new byte[] {9});
    Path local = Files.write(dir.resolve("out.zip"), random(100_000, 7));
    XrootdSink sink = new XrootdSink(client, 1 << 20, 4);
    assertThatThrownBy(() -> sink.upload(local, server.url("race/out.zip"), false))
        .isInstanceOf(ObjectExistsException.class);
    assertThat(server.file("race/out.zip")).hasBinaryContent(new byte[] {9});
    try (Stream<Path> stored = Files.list(server.file("race"))) {
      assertThat(stored.map(p -> p.getFileName().toString())).containsExactly("out.zip");
    }

    sink.upload(local, server.url("race/out.zip"), true);
    assertThat(Files.mismatch(local, server.file("race/out.zip"))).isEqualTo(-1);
  }

  @Test
  void aSymbolicLinkFailsTheSinksUploadNamingItAndItsTargetIsNotStored() throws Exception {
    Path secret = Files.writeString(dir.resolve("key.json"), "PRIVATE-KEY-LINE\n");
    Path local = Files.createSymbolicLink(dir.resolve("out.txt"), secret);
    XrootdSink sink = new XrootdSink(client, 1 << 20, 4);

    assertThatThrownBy(() -> sink.upload(local, server.url("linked/out.txt"), false))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessage(local + " is a symbolic link: not read through it");
    assertThat(server.file("linked/out.txt")).doesNotExist();
  }

  @Test
  void replaceOwnReplacesOnlyTheFileItStored() throws Exception {
    Path local = Files.write(dir.resolve("out.bin"), random(200_000, 8));
    Uploader uploader =
        new Uploader(
            new SinkRegistry().register("root", () -> new XrootdSink(client, 1 << 20, 4)),
            RetryPolicy.standard(0));
    URI target = server.url("own/out.bin");
    Uploader.UploadResult first = uploader.upload(local, target, false);
    Files.write(local, random(300_000, 9));

    Uploader.UploadResult again = uploader.replaceOwn(local, target, first.stored());

    assertThat(Files.mismatch(local, server.file("own/out.bin"))).isEqualTo(-1);
    assertThat(again.checksum().hex()).isEqualTo(adler32(local));
    server.put("own/out.bin", new byte[] {4, 5, 6}); // another writer
    Files.write(local, random(100_000, 10));
    assertThatThrownBy(() -> uploader.replaceOwn(local, target, again.stored()))
        .isInstanceOf(ObjectExistsException.class)
        .hasMessageContaining("was replaced by someone else since it was stored");
    assertThat(server.file("own/out.bin")).hasBinaryContent(new byte[] {4, 5, 6});
    try (Stream<Path> stored = Files.list(server.file("own"))) {
      assertThat(stored.map(p -> p.getFileName().toString())).containsExactly("out.bin");
    }
  }
}
