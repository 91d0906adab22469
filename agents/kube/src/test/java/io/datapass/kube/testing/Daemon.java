package io.datapass.kube.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server process of the fixture, its output in {@code NAME.log}, started and stopped by the
 * test.
 */
final class Daemon {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final String name;
  private final Path log;
  private final Process process;

  private Daemon(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  static Daemon launch(String name, List<String> command, Path dir) throws IOException {
    Path log = dir.resolve(name + ".log");
    Files.deleteIfExists(log);
    return new Daemon(
        name,
        log,
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
  }

  /**
   * A free loopback port: the binaries take a port number only, so a port taken meanwhile makes a
   * retry.
   */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Waits until {@code health} answers 200 (over TLS trusting {@code caFile}, once it exists, for
   * https). False when the process exited because its port was taken; any other exit, or no answer
   * in time, fails with the end of its log.
   */
  boolean awaitHealthy(URI health, String authorization, Path caFile)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String output = output();
        if (output.contains("address already in use")) {
          return false;
        }
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + ":\n" + tail(output));
      }
      if (answers(health, authorization, caFile)) {
        return true;
      }
      Thread.sleep(100);
    }
    stop();
    throw new IllegalStateException(
        name + " not ready in " + READY_TIMEOUT.toSeconds() + " s:\n" + tail(output()));
  }

  private static boolean answers(URI health, String authorization, Path caFile)
      throws InterruptedException {
    try {
      HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
      if (health.getScheme().equals("https")) {
        if (!Files.exists(caFile)) {
          return false;
        }
        client.sslContext(TrustedCertificates.context(caFile));
      }
      HttpRequest.Builder request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5));
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      return client
              .build()
              .send(request.build(), HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  private String output() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  private static String tail(String output) {
    return output.length() <= 4000 ? output : "..." + output.substring(output.length() - 4000);
  }

  /** SIGTERM, then SIGKILL after 15 s. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
