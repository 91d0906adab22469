package io.datapass.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.BlobId;
import io.datapass.transfer.StorageClients;
import io.datapass.transfer.checksum.ChecksumAlgorithm;
import io.datapass.transfer.storage.Locations;
import io.datapass.transfer.storage.ObjectSource;
import io.datapass.transfer.storage.OpenedStream;
import io.datapass.transfer.storage.SourceRegistry;
import io.datapass.transfer.testing.FakeGcsServer;
import io.datapass.transfer.testing.FaultInjectingProxy;
import io.datapass.xrootd.testing.XrootdTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The zip streamed into each kind of storage (fake-gcs-server, Debian's xrootd, a mounted
 * directory): 10,000 files round-trip byte for byte, nothing is written to {@code --scratch}, and
 * an upload cut midway leaves no object under the zip's name.
 */
@Timeout(300)
class CleanupZipIT {
  private static final String BUCKET = "datapass-zips";
  private static final int FILES = 10_000;

  @TempDir static Path shared;
  private static FakeGcsServer gcs;
  private static XrootdTestServer xrootd;
  private static Path output;

  @TempDir Path dir;

  enum Storage {
    GCS,
    XROOTD,
    MOUNTED
  }

  @BeforeAll
  static void startServersAndWriteTheOutputs() throws Exception {
    gcs = FakeGcsServer.start(Files.createDirectories(shared.resolve("gcs")));
    gcs.createBucket(BUCKET);
    xrootd = XrootdTestServer.standalone();
    output = Files.createDirectories(shared.resolve("output"));
    Random random = new Random(11);
    for (int i = 0; i < FILES; i++) {
      Path file = output.resolve(String.format("run-%02d/event-%04d.dat", i % 100, i));
      Files.createDirectories(file.getParent());
      // random bytes (deflate stores them) and text (deflate shrinks it), some files empty
      byte[] bytes = new byte[random.nextInt(6_000)];
      if (i % 2 == 0) {
        random.nextBytes(bytes);
      } else {
        byte[] line = ("event " + i + " pt=" + random.nextGaussian() + "\n").getBytes();
        for (int at = 0; at < bytes.length; at++) {
          bytes[at] = line[at % line.length];
        }
      }
      Files.write(file, bytes);
    }
  }

  @AfterAll
  static void stopServers() throws Exception {
    gcs.close();
    xrootd.close();
  }

  private String prefix(Storage storage) {
    String test = dir.getFileName().toString(); // unique per test
    return switch (storage) {
      case GCS -> "gs://" + BUCKET + "/" + test + "/";
      case XROOTD -> xrootd.url(test + "/").toString();
      case MOUNTED -> dir.resolve("stored") + "/";
    };
  }

  private static AgentRun cleanup(String endpoint, Path out, Path scratch, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--output",
                out.toString(),
                "--scratch",
                scratch.toString(),
                "--gcs-endpoint",
                endpoint));
    all.addAll(List.of(args));
    return AgentRun.of(all, Map.of());
  }

  /** Downloads an object through the transfer engine's sources, as the downloader reads it. */
  private Path download(String uri) throws IOException {
    Path file = dir.resolve("downloaded-" + uri.substring(uri.lastIndexOf('/') + 1));
    URI location = Locations.parse(uri);
    try (SourceRegistry sources =
        StorageClients.sources(new StorageClients.Settings(gcs.endpoint(), null, 1, Map.of()))) {
      ObjectSource source = sources.sourceFor(location);
      try (OpenedStream opened = source.open(source.stat(location), 0);
          InputStream in = Channels.newInputStream(opened.channel())) {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return file;
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void tenThousandFilesRoundTripByteForByteWithNothingWrittenToScratch(Storage storage)
      throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch"));
    AgentRun run;
    try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
      scratch.register(
          watcher,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);

      run =
          cleanup(
              gcs.endpoint(), output, scratch, "--job", "job-z", "--upload-to", prefix(storage));

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(watcher.poll(500, TimeUnit.MILLISECONDS)).as("an event in --scratch").isNull();
    }
    assertThat(scratch).isEmptyDirectory();

    Path zip = download(prefix(storage) + "job-z-output.zip");
    Map<String, byte[]> unzipped = new HashMap<>();
    List<String> names = new ArrayList<>();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      for (Enumeration<? extends ZipEntry> e = file.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        names.add(entry.getName());
        if (!entry.isDirectory()) {
          try (InputStream in = file.getInputStream(entry)) {
            unzipped.put(entry.getName(), in.readAllBytes());
          }
        }
      }
    }
    assertThat(names).hasSize(FILES + 100).isSorted();
    assertThat(unzipped).hasSize(FILES);
    List<Path> originals;
    try (Stream<Path> walk = Files.walk(output)) {
      originals = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(originals).hasSize(FILES);
    for (Path original : originals) {
      String name = output.relativize(original).toString();
      assertThat(unzipped.get(name)).as(name).isEqualTo(Files.readAllBytes(original));
    }

    JsonNode manifest =
        new ObjectMapper()
            .readTree(Files.readAllBytes(download(prefix(storage) + "job-z-output.manifest.json")));
    assertThat(manifest.at("/files")).hasSize(FILES);
    for (JsonNode file : manifest.at("/files")) {
      Path original = output.resolve(file.at("/name").asText());
      assertThat(file.at("/bytes").asLong()).isEqualTo(Files.size(original));
      assertThat(file.at("/checksum").asText())
          .isEqualTo(ChecksumAlgorithm.SHA256.of(original).toString());
    }
    assertThat(manifest.at("/objects/0/bytes").asLong()).isEqualTo(Files.size(zip));
    assertThat(run.json().at("/files").asInt()).isEqualTo(FILES);
  }

  @Test
  void anUploadCutMidwayLeavesNoZipAndRemovesNothingAndARetryStoresItWhole() throws Exception {
    Path small = Files.createDirectories(dir.resolve("output"));
    byte[] events = new byte[20_000_000]; // two chunks of the resumable upload
    new Random(12).nextBytes(events);
    Files.write(small.resolve("events.root"), events);
    String test = dir.getFileName().toString();
    try (FaultInjectingProxy proxy = FaultInjectingProxy.to(gcs.endpoint())) {
      AtomicInteger puts = new AtomicInteger();
      proxy.failNext(r -> r.method().equals("PUT") && puts.incrementAndGet() == 2, 503, 1);

      AgentRun cut =
          cleanup(
              proxy.endpoint(),
              small,
              dir.resolve("scratch"),
              "--job",
              "job-c",
              "--upload-to",
              prefix(Storage.GCS),
              "--retries",
              "0",
              "--zip-level",
              "0",
              "--remove",
              small.toString());

      assertThat(cut.exitCode()).as(cut.err()).isEqualTo(1);
      assertThat(cut.err()).contains("; nothing was removed");
      assertThat(puts.get()).isEqualTo(2);
      assertThat(gcs.storage().get(BlobId.of(BUCKET, test + "/job-c-output.zip"))).isNull();
      assertThat(gcs.storage().get(BlobId.of(BUCKET, test + "/job-c-output.manifest.json")))
          .isNull();
      assertThat(small.resolve("events.root")).hasBinaryContent(events);

      puts.set(0);
      proxy.failNext(r -> r.method().equals("PUT") && puts.incrementAndGet() == 2, 503, 1);
      AgentRun retried =
          cleanup(
              proxy.endpoint(),
              small,
              dir.resolve("scratch"),
              "--job",
              "job-c",
              "--upload-to",
              prefix(Storage.GCS),
              "--retries",
              "1",
              "--zip-level",
              "0");

      assertThat(retried.exitCode()).as(retried.err()).isZero();
      byte[] zip = gcs.storage().get(BlobId.of(BUCKET, test + "/job-c-output.zip")).getContent();
      assertThat(OutputTreeTest.entries(zip).get("events.root")).isEqualTo(events);
      assertThat(new String(zip, 0, 2, StandardCharsets.ISO_8859_1)).isEqualTo("PK");
    }
  }
}
