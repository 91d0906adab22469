package io.datapass.xrootd;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logged-in TCP connection to one server. Requests are written as they come (pipelined); a
 * reader thread routes every answer by stream id, joins kXR_oksofar parts, unwraps kXR_attn async
 * responses, and resends a request after kXR_wait. Read data goes straight from the socket into the
 * caller's buffer (one copy, by the kernel, when the buffer is direct); write data from a file goes
 * from the page cache to the socket (sendfile). The channel stays in blocking mode: reads and
 * writes are plain system calls, with no poll.
 */
final class Connection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final String address;
  private final SocketChannel channel;
  private final InetSocketAddress target;

  /**
   * Answers are read through this buffer; only large data bypasses it. Used by one thread at a
   * time.
   */
  private final FrameInput in;

  private final ScheduledExecutorService timer;
  private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
  private final Object writeLock = new Object();
  private int nextStreamId = 0x0100;
  private volatile IOException failure;
  private int serverType;

  /** A request waiting for its answer; {@code target} receives read data in place. */
  private static final class Pending {
    final Request request;
    final CompletableFuture<Response> future = new CompletableFuture<>();

    /**
     * Receives the answer's data from its position on; null: the data is collected into an array.
     */
    final ByteBuffer target;

    byte[] collected;
    int length;

    Pending(Request request, ByteBuffer target) {
      this.request = request;
      this.target = target;
    }
  }

  private Connection(String host, int port, ScheduledExecutorService timer) throws IOException {
    this.address = host + ":" + port;
    this.target = new InetSocketAddress(host, port);
    this.timer = timer;
    this.channel = SocketChannel.open();
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
    this.in = new FrameInput(channel);
  }

  /**
   * Connects, logs in (and authenticates when the server asks), then starts routing answers. The
   * connect timeout bounds connect and login together, by closing the channel when they take too
   * long: a socket given a timeout of its own (timed connect, SO_TIMEOUT) stays in non-blocking
   * mode, and every later read then costs a poll too.
   */
  static Connection open(
      String host,
      int port,
      XrootdSettings settings,
      String loginToken,
      ScheduledExecutorService timer)
      throws IOException {
    Connection connection = new Connection(host, port, timer);
    long limit = settings.connectTimeout().toMillis();
    ScheduledFuture<?> deadline =
        timer.schedule(connection::closeSocketQuietly, limit, TimeUnit.MILLISECONDS);
    try {
      connection.connectAndLogin(settings, loginToken);
    } catch (IOException e) {
      connection.channel.close();
      throw deadline.isDone()
          ? new SocketTimeoutException(
              "no connection and login to " + connection.address + " within " + limit + " ms")
          : e;
    } finally {
      deadline.cancel(false);
    }
    Thread reader = new Thread(connection::readLoop, "xrootd-" + connection.address);
    reader.setDaemon(true);
    reader.start();
    return connection;
  }

  String address() {
    return address;
  }

  private void closeSocketQuietly() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // the login sees the close
    }
  }

  boolean isManager() {
    return serverType == 0;
  }

  boolean isUsable() {
    return failure == null && channel.isOpen();
  }

  CompletableFuture<Response> send(Request request) {
    return send(request, null);
  }

  /**
   * Sends a request whose answer data is written into {@code target}, from its position up to its
   * limit; the answer's length says how much arrived. The buffer's position and limit are left as
   * they were.
   */
  CompletableFuture<Response> send(Request request, ByteBuffer target) {
    Pending p = new Pending(request, target == null ? null : target.slice());
    if (failure != null) {
      p.future.completeExceptionally(failure);
      return p.future;
    }
    synchronized (writeLock) {
      int streamId = allocateStreamId(p);
      try {
        write(request, streamId);
      } catch (IOException e) {
        pending.remove(streamId);
        fail(e);
        p.future.completeExceptionally(failure);
      }
    }
    return p.future;
  }

  private int allocateStreamId(Pending p) {
    while (true) {
      int id = nextStreamId;
      nextStreamId = nextStreamId >= 0xFFFF ? 0x0100 : nextStreamId + 1;
      if (pending.putIfAbsent(id, p) == null) {
        return id;
      }
    }
  }

  private void write(Request request, int streamId) throws IOException {
    ByteBuffer header = request.header(streamId);
    if (request.dataInFile()) {
      writeFully(header);
      request.transferFileData(channel);
    } else {
      writeFully(header, request.body());
    }
  }

  private void writeFully(ByteBuffer... buffers) throws IOException {
    // a gathering write empties the buffers in order: the last one empty means all are
    while (buffers[0].hasRemaining() || buffers[buffers.length - 1].hasRemaining()) {
      channel.write(buffers);
    }
  }

  private void connectAndLogin(XrootdSettings settings, String loginToken) throws IOException {
    channel.connect(target);
    login(settings, loginToken);
  }

  private void login(XrootdSettings settings, String loginToken) throws IOException {
    writeFully(ByteBuffer.allocate(20).putInt(0).putInt(0).putInt(0).putInt(4).putInt(2012).flip());
    write(
        new Request(Protocol.PROTOCOL).putInt(0, Protocol.VERSION).putByte(4, 0).putByte(5, 3), 1);
    ByteBuffer reply = ByteBuffer.wrap(in.bytes(16));
    if (reply.getInt(4) != 8) {
      throw new IOException(address + " is not an XRootD server (bad handshake reply)");
    }
    serverType = reply.getInt(12);
    expectOk(readFrame(), "protocol");

    byte[] user = new byte[8];
    byte[] name = settings.user().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, user, 0, Math.min(8, name.length));
    Request login =
        new Request(Protocol.LOGIN)
            .putInt(0, (int) ProcessHandle.current().pid())
            .putBytes(4, user)
            .putByte(14, Protocol.CAPVER);
    if (loginToken != null && !loginToken.isEmpty()) {
      login.data(loginToken);
    }
    write(login, 2);
    Response loggedIn = expectOk(readFrame(), "login");
    String security =
        loggedIn.length() > 16
            ? new String(loggedIn.body(), 16, loggedIn.length() - 16, StandardCharsets.UTF_8)
                .replace("\0", "")
            : "";
    if (!security.isEmpty()) {
      authenticate(settings.securityProtocols(), security);
    }
  }

  /** Tries the protocols the server offers ({@code &P=unix&P=gsi,v:...}) in its order. */
  private void authenticate(List<SecurityProtocol> ours, String offered) throws IOException {
    StringBuilder tried = new StringBuilder();
    for (String entry : offered.split("&P=")) {
      if (entry.isBlank()) {
        continue;
      }
      String protocolName = entry.split(",", 2)[0].trim();
      String parameters = entry.contains(",") ? entry.substring(entry.indexOf(',') + 1) : "";
      tried.append(tried.length() == 0 ? "" : ", ").append(protocolName);
      for (SecurityProtocol protocol : ours) {
        if (protocol.name().equals(protocolName)) {
          byte[] type = new byte[4];
          byte[] label = protocolName.getBytes(StandardCharsets.US_ASCII);
          System.arraycopy(label, 0, type, 0, Math.min(4, label.length));
          write(
              new Request(Protocol.AUTH).putBytes(12, type).data(protocol.credentials(parameters)),
              3);
          Response answer = readFrame();
          if (answer.status() == Protocol.OK) {
            return;
          }
          log.warn(
              "{}: {} authentication refused: {}",
              address,
              protocolName,
              answer.error(address).serverMessage());
        }
      }
    }
    throw new XrootdException(
        XrootdException.AUTH_FAILED,
        "server asks for "
            + tried
            + "; datapass supports "
            + ours.stream().map(SecurityProtocol::name).toList(),
        address);
  }

  private Response expectOk(Response response, String step) throws IOException {
    if (response.status() == Protocol.ERROR) {
      throw response.error(address + " " + step);
    }
    if (response.status() != Protocol.OK) {
      throw new IOException(address + ": unexpected status " + response.status() + " to " + step);
    }
    return response;
  }

  private Response readFrame() throws IOException {
    ByteBuffer header = in.header();
    int status = header.getShort(2) & 0xFFFF;
    int length = header.getInt(4);
    return new Response(status, in.bytes(length), length);
  }

  private void readLoop() {
    try {
      while (true) {
        ByteBuffer header = in.header();
        int streamId = header.getShort(0) & 0xFFFF;
        int status = header.getShort(2) & 0xFFFF;
        int length = header.getInt(4);
        if (status == Protocol.ATTN) {
          handleAttention(length);
        } else {
          dispatch(streamId, status, length, in);
        }
      }
    } catch (IOException e) {
      fail(
          e instanceof EOFException ? new EOFException("connection to " + address + " closed") : e);
    } catch (RuntimeException e) {
      fail(new IOException("protocol error from " + address + ": " + e, e));
    }
  }

  private void handleAttention(int length) throws IOException {
    byte[] body = in.bytes(length);
    ByteBuffer attention = ByteBuffer.wrap(body);
    if (length >= 16 && attention.getInt(0) == Protocol.ASYNC_RESPONSE) {
      int streamId = attention.getShort(8) & 0xFFFF;
      int status = attention.getShort(10) & 0xFFFF;
      int inner = attention.getInt(12);
      dispatch(streamId, status, inner, FrameInput.of(ByteBuffer.wrap(body, 16, inner)));
    }
  }

  private void dispatch(int streamId, int status, int length, FrameInput from) throws IOException {
    Pending p = pending.get(streamId);
    if (p == null) {
      from.skip(length);
      log.debug("{}: answer for unknown stream {}", address, streamId);
      return;
    }
    switch (status) {
      case Protocol.OK, Protocol.OK_SO_FAR -> collect(p, length, from);
      case Protocol.WAIT_RESP -> {
        from.skip(length);
        return;
      }
      case Protocol.WAIT -> {
        byte[] body = from.bytes(length);
        int seconds = length >= 4 ? Math.max(0, Math.min(ByteBuffer.wrap(body).getInt(), 600)) : 1;
        log.info(
            "{}: the server asks to wait {} s before resending ({})",
            address,
            seconds,
            new String(body, Math.min(4, length), Math.max(0, length - 4), StandardCharsets.UTF_8)
                .trim());
        timer.schedule(() -> resend(streamId, p), seconds, TimeUnit.SECONDS);
        return;
      }
      default -> {
        byte[] body = from.bytes(length);
        pending.remove(streamId);
        p.future.complete(new Response(status, body, length));
        return;
      }
    }
    if (status == Protocol.OK) {
      pending.remove(streamId);
      byte[] body = p.target != null || p.collected == null ? new byte[0] : p.collected;
      p.future.complete(new Response(Protocol.OK, body, p.length));
    }
  }

  private void collect(Pending p, int length, FrameInput from) throws IOException {
    if (p.target != null && length <= p.target.remaining()) {
      from.readInto(p.target, length);
    } else if (p.target != null) {
      throw new IOException(address + " sent more data than asked for");
    } else {
      if (p.collected == null || p.collected.length < p.length + length) {
        byte[] grown =
            new byte[Math.max(p.length + length, p.collected == null ? 0 : p.collected.length * 2)];
        if (p.collected != null) {
          System.arraycopy(p.collected, 0, grown, 0, p.length);
        }
        p.collected = grown;
      }
      from.readInto(ByteBuffer.wrap(p.collected, p.length, length), length);
    }
    p.length += length;
  }

  private void resend(int streamId, Pending p) {
    synchronized (writeLock) {
      try {
        write(p.request, streamId);
      } catch (IOException e) {
        fail(e);
      }
    }
  }

  private void fail(IOException cause) {
    if (failure == null) {
      failure = cause;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // already failing
    }
    for (Integer id : pending.keySet()) {
      Pending p = pending.remove(id);
      if (p != null) {
        p.future.completeExceptionally(failure);
      }
    }
  }

  @Override
  public void close() {
    fail(new IOException("connection to " + address + " closed by the client"));
  }
}
