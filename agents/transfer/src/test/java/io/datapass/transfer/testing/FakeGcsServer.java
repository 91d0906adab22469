package io.datapass.transfer.testing;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.datapass.transfer.storage.Locations;
import io.datapass.transfer.storage.gcs.GcsClients;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * fsouza/fake-gcs-server, a real GCS JSON-API server, run on loopback for the tests. ci/test builds
 * it from the Go module proxy and passes its path in {@code datapass.fakeGcsServer} (or {@code
 * DATAPASS_FAKE_GCS_SERVER}); without it the tests fail, they do not skip.
 */
public final class FakeGcsServer implements AutoCloseable {
  private final Process process;
  private final String endpoint;
  private final Storage storage;

  private FakeGcsServer(Process process, String endpoint) {
    this.process = process;
    this.endpoint = endpoint;
    this.storage = GcsClients.create(endpoint, Map.of());
  }

  public static FakeGcsServer start(Path workDir) throws IOException, InterruptedException {
    return start(workDir, "127.0.0.1");
  }

  /**
   * A server listening on {@code host} (an address of this machine), e.g. one that pods can reach.
   * The port must be known before the server starts (it is in {@code -external-url}, where
   * resumable uploads continue), so it cannot bind port 0: a free port is picked, and if another
   * process takes it first the server exits at once ("address already in use") and is started again
   * on another.
   */
  public static FakeGcsServer start(Path workDir, String host)
      throws IOException, InterruptedException {
    Path binary = binary();
    for (int attempt = 1; ; attempt++) {
      int port = freePort(host);
      String endpoint = "http://" + host + ":" + port;
      Path log = workDir.resolve("fake-gcs-server.log");
      Process process =
          new ProcessBuilder(
                  List.of(
                      binary.toString(),
                      "-scheme",
                      "http",
                      "-host",
                      host,
                      "-port",
                      Integer.toString(port),
                      "-backend",
                      "memory",
                      "-external-url",
                      endpoint,
                      "-log-level",
                      "info"))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        waitUntilUp(process, endpoint, log);
        return new FakeGcsServer(process, endpoint);
      } catch (PortTakenException e) {
        if (attempt == 5) {
          throw new IOException("fake-gcs-server found its port taken 5 times: " + e.getMessage());
        }
      }
    }
  }

  /** The server exited because another process bound its port between our pick and its start. */
  private static final class PortTakenException extends IOException {
    PortTakenException(String log) {
      super(log);
    }
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  public String endpoint() {
    return endpoint;
  }

  public Storage storage() {
    return storage;
  }

  public FakeGcsServer createBucket(String bucket) {
    storage.create(BucketInfo.of(bucket));
    return this;
  }

  /** Stores an object; {@code name} may hold spaces and other characters URIs quote. */
  public URI put(String bucket, String name, byte[] content) {
    storage.create(BlobInfo.newBuilder(BlobId.of(bucket, name)).build(), content);
    return Locations.parse("gs://" + bucket + "/" + name);
  }

  public URI put(String bucket, String name, Path file) throws IOException {
    storage.createFrom(BlobInfo.newBuilder(BlobId.of(bucket, name)).build(), file);
    return Locations.parse("gs://" + bucket + "/" + name);
  }

  private static Path binary() {
    String configured = System.getProperty("datapass.fakeGcsServer");
    if (configured == null || configured.isBlank() || configured.startsWith("${")) {
      configured = System.getenv("DATAPASS_FAKE_GCS_SERVER");
    }
    if (configured == null || configured.isBlank() || !Files.isExecutable(Path.of(configured))) {
      throw new IllegalStateException(
          "fake-gcs-server binary not found (got '"
              + configured
              + "'); run ci/test, which builds it and sets DATAPASS_FAKE_GCS_SERVER");
    }
    return Path.of(configured);
  }

  /** Waits until the server logs that it listens (it exits if it cannot), then until it answers. */
  private static void waitUntilUp(Process process, String endpoint, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    boolean listening = false;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String output = Files.readString(log);
        if (output.contains("address already in use")) {
          throw new PortTakenException(output);
        }
        throw new IOException("fake-gcs-server exited: " + output);
      }
      listening = listening || Files.readString(log).contains("server started at");
      if (listening && answers(endpoint)) {
        return;
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    throw new IOException(
        "fake-gcs-server did not come up at " + endpoint + ": " + Files.readString(log));
  }

  private static boolean answers(String endpoint) {
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create(endpoint + "/storage/v1/b").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(5_000);
      return c.getResponseCode() == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** Stops the server process, and waits for it, even when closing the client fails. */
  @Override
  public void close() throws IOException {
    try {
      GcsClients.close(storage);
    } finally {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
