package io.datapass.xrootd;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pure-Java XRootD client. Path requests follow kXR_redirect (host, port, opaque CGI, login
 * token) up to the configured depth; kXR_wait and kXR_waitresp are honoured; one connection per
 * server is reused by all callers. Server errors become {@link XrootdException}s carrying the code
 * and the server's message.
 */
public final class XrootdClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(XrootdClient.class);

  private final XrootdSettings settings;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "xrootd-timer");
            t.setDaemon(true);
            return t;
          });

  public XrootdClient(XrootdSettings settings) {
    this.settings = settings;
  }

  public StatInfo stat(XrootdUrl url) throws IOException {
    return StatInfo.parse(
        call(url, path -> new Request(Protocol.STAT).data(path), "stat").response().text());
  }

  /** Opens for reading. */
  public XrootdFile openRead(XrootdUrl url) throws IOException {
    return open(url, 0, Protocol.OPEN_READ | Protocol.OPEN_RETSTAT);
  }

  /**
   * Opens for writing, creating missing directories.
   *
   * @param overwrite replace an existing file; else an existing file fails with {@link
   *     XrootdException#ITEM_EXISTS}
   */
  public XrootdFile openWrite(XrootdUrl url, boolean overwrite) throws IOException {
    int options =
        Protocol.OPEN_UPDATE
            | Protocol.OPEN_MKPATH
            | Protocol.OPEN_RETSTAT
            | (overwrite ? Protocol.OPEN_DELETE : Protocol.OPEN_NEW);
    return open(url, 0644, options);
  }

  private XrootdFile open(XrootdUrl url, int mode, int options) throws IOException {
    Routed routed =
        call(
            url,
            path -> new Request(Protocol.OPEN).putShort(0, mode).putShort(2, options).data(path),
            "open");
    Response response = routed.response();
    byte[] handle = new byte[4];
    System.arraycopy(response.body(), 0, handle, 0, 4);
    StatInfo stat = null;
    if (response.length() > 12) {
      stat =
          StatInfo.parse(
              new String(response.body(), 12, response.length() - 12, StandardCharsets.UTF_8)
                  .replace("\0", ""));
    }
    return new XrootdFile(this, routed.connection(), handle, url, stat);
  }

  /** The entries of a directory with their stat, in the server's order. */
  public List<DirEntry> list(XrootdUrl directory) throws IOException {
    String text =
        call(directory, path -> new Request(Protocol.DIRLIST).putByte(15, 2).data(path), "dirlist")
            .response()
            .text();
    List<DirEntry> entries = new ArrayList<>();
    String[] lines = text.split("\n");
    int start = lines.length >= 2 && lines[0].equals(".") ? 2 : 0;
    for (int i = start; i + 1 < lines.length; i += 2) {
      entries.add(new DirEntry(lines[i], StatInfo.parse(lines[i + 1])));
    }
    return entries;
  }

  /** Creates a directory and its missing parents. */
  public void mkdirs(XrootdUrl directory) throws IOException {
    call(
        directory,
        path -> new Request(Protocol.MKDIR).putByte(0, 1).putShort(14, 0755).data(path),
        "mkdir");
  }

  public void rm(XrootdUrl file) throws IOException {
    call(file, path -> new Request(Protocol.RM).data(path), "rm");
  }

  public void rmdir(XrootdUrl directory) throws IOException {
    call(directory, path -> new Request(Protocol.RMDIR).data(path), "rmdir");
  }

  /** Renames within one server; an existing target is replaced. */
  public void mv(XrootdUrl from, String toPath) throws IOException {
    call(
        from,
        path -> {
          byte[] source = path.getBytes(StandardCharsets.UTF_8);
          return new Request(Protocol.MV).putShort(14, source.length).data(path + " " + toPath);
        },
        "mv");
  }

  /**
   * The server's checksum of a file, e.g. {@code adler32 0a1b2c3d}: algorithm and lower-case hex.
   */
  public String[] checksum(XrootdUrl file) throws IOException {
    String reply =
        call(
                file,
                path -> new Request(Protocol.QUERY).putShort(0, Protocol.QUERY_CHECKSUM).data(path),
                "query checksum")
            .response()
            .text()
            .trim();
    String[] parts = reply.split("\\s+");
    if (parts.length != 2) {
      throw new IOException("unreadable checksum reply '" + reply + "' for " + file);
    }
    return new String[] {
      parts[0].toLowerCase(java.util.Locale.ROOT), parts[1].toLowerCase(java.util.Locale.ROOT)
    };
  }

  /** Where a request finally got its answer. */
  record Routed(Connection connection, Response response) {}

  /**
   * Sends a path request, following redirects and reconnecting once if a pooled connection went
   * stale.
   */
  private Routed call(XrootdUrl url, Function<String, Request> request, String operation)
      throws IOException {
    String host = url.host();
    int port = url.port();
    String opaque = "";
    String token = null;
    String context = operation + " " + url;
    for (int hop = 0; hop <= settings.maxRedirects(); hop++) {
      Connection connection = connection(host, port, token);
      String withCgi = url.pathWithCgiFor(host);
      String path =
          withCgi + (opaque.isEmpty() ? "" : (withCgi.equals(url.path()) ? "?" : "&") + opaque);
      Response response;
      try {
        response = answer(connection.send(request.apply(path)), context);
      } catch (XrootdException e) {
        throw e;
      } catch (IOException staleConnection) {
        if (connection.isUsable()) {
          throw staleConnection;
        }
        forget(connection);
        response = answer(connection(host, port, token).send(request.apply(path)), context);
      }
      if (response.status() != Protocol.REDIRECT) {
        return new Routed(connections.get(key(host, port, token)), checkStatus(response, context));
      }
      ByteBuffer body = response.buffer();
      int newPort = body.getInt();
      String[] target =
          new String(response.body(), 4, response.length() - 4, StandardCharsets.UTF_8)
              .split("\\?", 3);
      log.debug("{}: redirected from {}:{} to {}:{}", context, host, port, target[0], newPort);
      if (newPort < 0) {
        throw new IOException(
            context + ": redirected to a URL datapass cannot follow: " + target[0]);
      }
      host = target[0];
      port = newPort == 0 ? Protocol.DEFAULT_PORT : newPort;
      opaque = target.length > 1 ? target[1] : "";
      token = target.length > 2 && !target[2].isEmpty() ? target[2] : null;
    }
    throw new IOException(context + ": more than " + settings.maxRedirects() + " redirects");
  }

  private Connection connection(String host, int port, String token) throws IOException {
    String key = key(host, port, token);
    Connection existing = connections.get(key);
    if (existing != null && existing.isUsable()) {
      return existing;
    }
    synchronized (connections) {
      existing = connections.get(key);
      if (existing != null && existing.isUsable()) {
        return existing;
      }
      Connection fresh = Connection.open(host, port, settings, token, timer);
      connections.put(key, fresh);
      return fresh;
    }
  }

  private void forget(Connection connection) {
    connections.values().remove(connection);
    connection.close();
  }

  private static String key(String host, int port, String token) {
    return host + ":" + port + (token == null ? "" : "?" + token);
  }

  /**
   * Turns error answers into exceptions (for requests on an open file, where no redirect is
   * expected).
   */
  CompletableFuture<Response> checked(CompletableFuture<Response> future, String context) {
    return future.thenApply(
        response -> {
          try {
            return checkStatus(response, context);
          } catch (IOException e) {
            throw new CompletionException(e);
          }
        });
  }

  private static Response checkStatus(Response response, String context) throws IOException {
    if (response.status() == Protocol.OK) {
      return response;
    }
    if (response.status() == Protocol.ERROR) {
      throw response.error(context);
    }
    throw new IOException(context + ": unexpected answer status " + response.status());
  }

  /** Waits for a successful answer within the request timeout; errors keep their type. */
  Response await(CompletableFuture<Response> future, String context) throws IOException {
    return checkStatus(answer(future, context), context);
  }

  /** Waits for any answer (a redirect included) within the request timeout. */
  private Response answer(CompletableFuture<Response> future, String context) throws IOException {
    try {
      return future.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(context + ": interrupted");
    } catch (TimeoutException e) {
      throw new XrootdException(
          XrootdException.REQUEST_TIMED_OUT,
          "no answer within " + settings.requestTimeout().toSeconds() + " s",
          context);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause(), context);
    }
  }

  /**
   * The I/O failure inside a completed future, for callers that wait on {@link XrootdFile} futures
   * themselves.
   */
  public static IOException unwrap(Throwable failure, String context) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof IOException io) {
      return io;
    }
    return new IOException(context + ": " + cause, cause);
  }

  @Override
  public void close() {
    connections.values().forEach(Connection::close);
    connections.clear();
    timer.shutdownNow();
  }
}
