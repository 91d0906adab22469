package io.datapass.transfer.storage.http;

import static io.datapass.transfer.testing.RawHttpServer.head;
import static io.datapass.transfer.testing.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datapass.transfer.storage.OpenedStream;
import io.datapass.transfer.storage.RemoteObject;
import io.datapass.transfer.storage.TransferException;
import io.datapass.transfer.testing.RawHttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A body ends where its response said it would, on both HTTP paths: the socket channel for plain
 * http, and HttpURLConnection, which carries https (here over plain text on loopback: the body
 * handling is the same).
 */
class HttpBodyFramingTest {
  private static final byte[] CONTENT = randomBytes(100_000, 5);

  enum Path {
    SOCKET_CHANNEL(true),
    URL_CONNECTION(false);

    final boolean socketChannel;

    Path(boolean socketChannel) {
      this.socketChannel = socketChannel;
    }
  }

  private RawHttpServer server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /**
   * Reads the object from byte 0 as the engine does (size unknown: HEAD was refused) until the body
   * ends.
   */
  private byte[] read(Path path, RawHttpServer.Responder responder) throws IOException {
    server = RawHttpServer.start(responder);
    HttpSource source =
        new HttpSource(
            null,
            new HttpTransport(Duration.ofSeconds(5), Duration.ofSeconds(5), path.socketChannel));
    RemoteObject object =
        new RemoteObject(server.uri("/o"), RemoteObject.UNKNOWN_SIZE, "", List.of());
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (OpenedStream opened = source.open(object, 0)) {
      ReadableByteChannel channel = opened.channel();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (channel.read(buffer.clear()) >= 0) {
        received.write(buffer.array(), 0, buffer.position());
      }
    }
    return received.toByteArray();
  }

  private IOException failure(Path path, RawHttpServer.Responder responder) {
    IOException e = catchThrowableOfType(IOException.class, () -> read(path, responder));
    assertThat(e).as("reading the body must fail").isNotNull();
    assertThat(TransferException.isRetryable(e)).as("transient: %s", e).isTrue();
    return e;
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void aBodyCutBeforeItsContentLengthIsATransientFailure(Path path) {
    IOException e =
        failure(
            path,
            (request, out) -> {
              out.write(head("200 OK", "Content-Length: " + CONTENT.length));
              out.write(CONTENT, 0, CONTENT.length / 2);
            });

    assertThat(e).hasMessageContaining(CONTENT.length / 2 + " of " + CONTENT.length + " bytes");
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void aChunkedBodyCutInsideAChunkIsATransientFailure(Path path) {
    failure(
        path,
        (request, out) -> {
          out.write(head("200 OK", "Transfer-Encoding: chunked"));
          write(out, Integer.toHexString(CONTENT.length) + "\r\n");
          out.write(CONTENT, 0, CONTENT.length / 2);
        });
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void aChunkedBodyWithoutItsLastChunkIsATransientFailure(Path path) {
    failure(
        path,
        (request, out) -> {
          out.write(head("200 OK", "Transfer-Encoding: chunked"));
          write(out, Integer.toHexString(CONTENT.length) + "\r\n");
          out.write(CONTENT);
          write(out, "\r\n");
        });
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void aRangeEndingBeforeTheObjectDoesIsNotTheWholeObject(Path path) {
    server = null;
    IOException e =
        catchThrowableOfType(
            IOException.class,
            () -> {
              server =
                  RawHttpServer.start(
                      (request, out) -> {
                        out.write(
                            head(
                                "206 Partial Content",
                                "Content-Range: bytes 100-199/" + CONTENT.length,
                                "Content-Length: 100"));
                        out.write(CONTENT, 100, 100);
                      });
              HttpSource source =
                  new HttpSource(
                      null,
                      new HttpTransport(
                          Duration.ofSeconds(5), Duration.ofSeconds(5), path.socketChannel));
              RemoteObject object =
                  new RemoteObject(server.uri("/o"), RemoteObject.UNKNOWN_SIZE, "", List.of());
              try (OpenedStream opened = source.open(object, 100)) {
                ByteBuffer buffer = ByteBuffer.allocate(8192);
                while (opened.channel().read(buffer.clear()) >= 0) {
                  // drain
                }
              }
            });

    assertThat(e)
        .isInstanceOf(TransferException.class)
        .hasMessageContaining("up to byte 200 of " + CONTENT.length);
    assertThat(((TransferException) e).isRetryable()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void completeBodiesInEveryFramingAreReadWhole(Path path) throws IOException {
    assertThat(
            read(
                path,
                (request, out) -> {
                  out.write(head("200 OK", "Content-Length: " + CONTENT.length));
                  out.write(CONTENT);
                }))
        .isEqualTo(CONTENT);
    server.close();

    assertThat(
            read(
                path,
                (request, out) -> {
                  out.write(head("200 OK", "Transfer-Encoding: chunked"));
                  for (int at = 0; at < CONTENT.length; at += 30_000) {
                    int length = Math.min(30_000, CONTENT.length - at);
                    write(out, Integer.toHexString(length) + "\r\n");
                    out.write(CONTENT, at, length);
                    write(out, "\r\n");
                  }
                  write(out, "0\r\n\r\n");
                }))
        .isEqualTo(CONTENT);
    server.close();

    assertThat(
            read(
                path,
                (request, out) -> {
                  out.write(head("200 OK")); // neither length nor chunks: the body ends with the
                  // connection
                  out.write(CONTENT);
                }))
        .isEqualTo(CONTENT);
  }
}
