package io.datapass.xrootd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.xrootd.testing.XrootdTestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.zip.Adler32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("XrootdClient against Debian's xrootd")
class XrootdClientIT {
  private static XrootdTestServer server;
  private static XrootdClient client;

  @BeforeAll
  static void start() throws Exception {
    server = XrootdTestServer.standalone();
    client = new XrootdClient(XrootdSettings.defaults());
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static String adler32(byte[] bytes) {
    Adler32 adler = new Adler32();
    adler.update(bytes);
    return String.format("%08x", adler.getValue());
  }

  private static XrootdUrl url(String relative) {
    return XrootdUrl.of(server.url(relative));
  }

  static byte[] readAll(XrootdClient client, XrootdUrl url) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (XrootdFile file = client.openRead(url)) {
      byte[] chunk = new byte[1 << 20];
      long offset = 0;
      int n;
      while ((n = file.read(offset, chunk, 0, chunk.length).join()) > 0) {
        out.write(chunk, 0, n);
        offset += n;
      }
    }
    return out.toByteArray();
  }

  @Test
  void downloadsAFileWithPipelinedReads() throws Exception {
    byte[] content = random(5_000_000, 1);
    server.put("dl/run1.root", content);
    try (XrootdFile file = client.openRead(url("dl/run1.root"))) {
      assertThat(file.openStat().size()).isEqualTo(content.length);
      byte[] copy = new byte[content.length];
      List<CompletableFuture<Integer>> reads = new ArrayList<>();
      for (int offset = 0; offset < content.length; offset += 1 << 20) {
        reads.add(file.read(offset, copy, offset, Math.min(1 << 20, content.length - offset)));
      }
      assertThat(reads.stream().mapToInt(CompletableFuture::join).sum()).isEqualTo(content.length);
      assertThat(copy).isEqualTo(content);
    }
  }

  @Test
  void uploadsIntoNewDirectoriesAndTheServerChecksumMatches() throws Exception {
    byte[] content = random(3_000_000, 2);
    XrootdUrl target = url("up/new/deeper/out.bin");
    try (XrootdFile file = client.openWrite(target, false)) {
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (int offset = 0; offset < content.length; offset += 1 << 20) {
        writes.add(file.write(offset, content, offset, Math.min(1 << 20, content.length - offset)));
      }
      writes.forEach(CompletableFuture::join);
      file.sync();
    }
    assertThat(Files.readAllBytes(server.file("up/new/deeper/out.bin"))).isEqualTo(content);
    assertThat(client.stat(target).size()).isEqualTo(content.length);
    assertThat(client.checksum(target)).containsExactly("adler32", adler32(content));
  }

  @Test
  void uploadsFromAFileRegionAndReadsIntoDirectBuffers(@TempDir Path local) throws Exception {
    byte[] content = random(2_500_000, 7);
    Path source = Files.write(local.resolve("source.bin"), content);
    XrootdUrl target = url("sendfile/out.bin");
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        XrootdFile file = client.openWrite(target, true)) {
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (int offset = 0; offset < content.length; offset += 1 << 20) {
        writes.add(file.write(offset, in, offset, Math.min(1 << 20, content.length - offset)));
      }
      writes.forEach(CompletableFuture::join);
    }
    assertThat(Files.readAllBytes(server.file("sendfile/out.bin"))).isEqualTo(content);

    ByteBuffer direct = ByteBuffer.allocateDirect(content.length + 100);
    direct.position(100); // data lands from the position on; position and limit stay as they were
    try (XrootdFile file = client.openRead(target)) {
      assertThat(file.read(0, direct).join()).isEqualTo(content.length);
    }
    assertThat(direct.position()).isEqualTo(100);
    byte[] got = new byte[content.length];
    direct.get(got);
    assertThat(got).isEqualTo(content);
  }

  @Test
  void aWriteFromAFileThatEndsTooSoonFailsTheConnectionNotTheData(@TempDir Path local)
      throws Exception {
    Path shortFile = Files.write(local.resolve("short.bin"), random(1000, 8));
    try (XrootdClient own = new XrootdClient(XrootdSettings.defaults());
        FileChannel in = FileChannel.open(shortFile, StandardOpenOption.READ);
        XrootdFile file = own.openWrite(url("sendfile/short.bin"), true)) {
      assertThatThrownBy(() -> file.write(0, in, 0, 5000).join())
          .hasMessageContaining("file ended at byte 1000");
    } catch (IOException closeOnDeadConnection) {
      // the connection was dropped mid-request on purpose: the server never saw a complete write
    }
    assertThat(Files.size(server.file("sendfile/short.bin"))).isZero();
  }

  @Test
  void creatingAnExistingFileWithoutOverwriteIsRefused() throws Exception {
    server.put("exists/a.bin", new byte[] {1});
    assertThatThrownBy(() -> client.openWrite(url("exists/a.bin"), false))
        .isInstanceOfSatisfying(XrootdException.class, e -> assertThat(e.code()).isEqualTo(3018));
  }

  @Test
  void statListMkdirMvRm() throws Exception {
    server.put("ls/a.root", random(10, 3));
    server.put("ls/b.root", random(20, 4));
    client.mkdirs(url("ls/sub/inner"));
    List<DirEntry> entries = client.list(url("ls"));
    assertThat(entries)
        .extracting(DirEntry::name)
        .containsExactlyInAnyOrder("a.root", "b.root", "sub");
    assertThat(entries)
        .filteredOn(e -> e.name().equals("sub"))
        .allMatch(e -> e.stat().isDirectory());
    assertThat(entries)
        .filteredOn(e -> e.name().equals("b.root"))
        .allMatch(e -> e.stat().size() == 20);
    client.mv(url("ls/a.root"), "/data/ls/sub/moved.root");
    assertThat(server.file("ls/sub/moved.root")).exists();
    client.rm(url("ls/sub/moved.root"));
    assertThat(server.file("ls/sub/moved.root")).doesNotExist();
    StatInfo stat = client.stat(url("ls/b.root"));
    assertThat(stat.isFile()).isTrue();
    assertThat(stat.modifiedEpochSeconds()).isGreaterThan(1_700_000_000L);
  }

  @Test
  void missingFileNamesThePath() {
    assertThatThrownBy(() -> client.openRead(url("nope/missing.root")))
        .isInstanceOfSatisfying(
            XrootdException.class,
            e -> {
              assertThat(e.code()).isEqualTo(XrootdException.NOT_FOUND);
              assertThat(e.getMessage()).contains("/data/nope/missing.root", "not found");
            });
    assertThatThrownBy(() -> client.stat(url("nope/missing.root")))
        .hasMessageContaining("/data/nope/missing.root");
  }

  @Test
  void unreadableFileIsPermissionDeniedNamingThePath() throws Exception {
    Path file = server.put("locked/secret.root", random(100, 5));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    Files.setOwner(
        file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
    assertThatThrownBy(() -> client.openRead(url("locked/secret.root")))
        .isInstanceOfSatisfying(
            XrootdException.class,
            e -> {
              assertThat(e.code()).isEqualTo(XrootdException.NOT_AUTHORIZED);
              assertThat(e.getMessage()).contains("/data/locked/secret.root", "permission denied");
            });
  }

  @Test
  void zeroByteFile() throws Exception {
    server.put("empty/zero.bin", new byte[0]);
    assertThat(readAll(client, url("empty/zero.bin"))).isEmpty();
    assertThat(client.checksum(url("empty/zero.bin"))).containsExactly("adler32", "00000001");
  }

  @Test
  void readsAtOffsetsBeyondFourGiB() throws Exception {
    Path sparse = server.put("big/sparse.bin", new byte[0]);
    long offset = (4L << 30) + 12345;
    byte[] tail = random(70_000, 6);
    try (RandomAccessFile raf = new RandomAccessFile(sparse.toFile(), "rw")) {
      raf.seek(offset);
      raf.write(tail);
    }
    try (XrootdFile file = client.openRead(url("big/sparse.bin"))) {
      assertThat(file.openStat().size()).isEqualTo(offset + tail.length);
      byte[] got = new byte[tail.length];
      assertThat(file.read(offset, got, 0, got.length).join()).isEqualTo(tail.length);
      assertThat(got).isEqualTo(tail);
      byte[] two = new byte[20];
      assertThat(file.readv(new long[] {offset, offset + 60_000}, new int[] {10, 10}, two).join())
          .isEqualTo(20);
      assertThat(Arrays.copyOfRange(two, 0, 10)).isEqualTo(Arrays.copyOfRange(tail, 0, 10));
      assertThat(Arrays.copyOfRange(two, 10, 20))
          .isEqualTo(Arrays.copyOfRange(tail, 60_000, 60_010));
    }
  }

  @Test
  void hundredFilesConcurrently() throws Exception {
    for (int i = 0; i < 100; i++) {
      server.put("many/f" + i, random(20_000 + i, 1000 + i));
    }
    List<CompletableFuture<byte[]>> downloads = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      XrootdUrl u = url("many/f" + i);
      downloads.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return readAll(client, u);
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              }));
    }
    for (int i = 0; i < 100; i++) {
      assertThat(downloads.get(i).join()).isEqualTo(random(20_000 + i, 1000 + i));
    }
  }
}
