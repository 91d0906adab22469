package io.datapass.xrootd;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
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
 * One logged-in TCP connection to one server. Requests are written as they come (pipelined); a reader thread
 * routes every answer by stream id, joins kXR_oksofar parts, unwraps kXR_attn async responses, and resends a
 * request after kXR_wait. Read data goes straight from the socket into the caller's array.
 */
final class Connection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final String address;
  private final Socket socket;
  private final InetSocketAddress target;
  private DataInputStream in;
  private OutputStream out;
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
    final byte[] target;
    final int targetOffset;
    byte[] collected;
    int length;

    Pending(Request request, byte[] target, int targetOffset) {
      this.request = request;
      this.target = target;
      this.targetOffset = targetOffset;
    }
  }

  private Connection(String host, int port, ScheduledExecutorService timer) throws IOException {
    this.address = host + ":" + port;
    this.target = new InetSocketAddress(host, port);
    this.timer = timer;
    this.socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setKeepAlive(true);
  }

  /**
   * Connects, logs in (and authenticates when the server asks), then starts routing answers. The connect timeout
   * bounds connect and login together, by closing the socket when they take too long: a socket given a timeout of
   * its own (timed connect, SO_TIMEOUT) stays in non-blocking mode, and every later read then costs a poll too.
   */
  static Connection open(String host, int port, XrootdSettings settings, String loginToken,
      ScheduledExecutorService timer) throws IOException {
    Connection connection = new Connection(host, port, timer);
    long limit = settings.connectTimeout().toMillis();
    ScheduledFuture<?> deadline = timer.schedule(connection::closeSocketQuietly, limit, TimeUnit.MILLISECONDS);
    try {
      connection.connectAndLogin(settings, loginToken);
    } catch (IOException e) {
      connection.socket.close();
      throw deadline.isDone() ? new SocketTimeoutException("no connection and login to " + connection.address
          + " within " + limit + " ms") : e;
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
      socket.close();
    } catch (IOException ignored) {
      // the login sees the close
    }
  }

  boolean isManager() {
    return serverType == 0;
  }

  boolean isUsable() {
    return failure == null && !socket.isClosed();
  }

  CompletableFuture<Response> send(Request request) {
    return send(request, null, 0);
  }

  /** Sends a request whose answer data is written into {@code target} from {@code targetOffset}. */
  CompletableFuture<Response> send(Request request, byte[] target, int targetOffset) {
    Pending p = new Pending(request, target, targetOffset);
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
    ByteBuffer body = request.body();
    if (body.remaining() <= 4096) {
      byte[] frame = new byte[24 + body.remaining()];
      header.get(frame, 0, 24);
      body.get(frame, 24, body.remaining());
      out.write(frame);
    } else {
      out.write(header.array(), 0, 24);
      out.write(body.array(), body.arrayOffset() + body.position(), body.remaining());
    }
    out.flush();
  }

  private void connectAndLogin(XrootdSettings settings, String loginToken) throws IOException {
    socket.connect(target);
    in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
    out = socket.getOutputStream();
    login(settings, loginToken);
  }

  private void login(XrootdSettings settings, String loginToken) throws IOException {
    ByteBuffer handshake = ByteBuffer.allocate(20).putInt(0).putInt(0).putInt(0).putInt(4).putInt(2012);
    out.write(handshake.array());
    write(new Request(Protocol.PROTOCOL).putInt(0, Protocol.VERSION).putByte(4, 0).putByte(5, 3), 1);
    ByteBuffer reply = ByteBuffer.wrap(readExactly(16));
    if (reply.getInt(4) != 8) {
      throw new IOException(address + " is not an XRootD server (bad handshake reply)");
    }
    serverType = reply.getInt(12);
    expectOk(readFrame(), "protocol");

    byte[] user = new byte[8];
    byte[] name = settings.user().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, user, 0, Math.min(8, name.length));
    Request login = new Request(Protocol.LOGIN).putInt(0, (int) ProcessHandle.current().pid())
        .putBytes(4, user).putByte(14, Protocol.CAPVER);
    if (loginToken != null && !loginToken.isEmpty()) {
      login.data(loginToken);
    }
    write(login, 2);
    Response loggedIn = expectOk(readFrame(), "login");
    String security = loggedIn.length() > 16
        ? new String(loggedIn.body(), 16, loggedIn.length() - 16, StandardCharsets.UTF_8).replace("\0", "")
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
          write(new Request(Protocol.AUTH).putBytes(12, type).data(protocol.credentials(parameters)), 3);
          Response answer = readFrame();
          if (answer.status() == Protocol.OK) {
            return;
          }
          log.warn("{}: {} authentication refused: {}", address, protocolName, answer.error(address).serverMessage());
        }
      }
    }
    throw new XrootdException(XrootdException.AUTH_FAILED, "server asks for " + tried
        + "; datapass supports " + ours.stream().map(SecurityProtocol::name).toList(), address);
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
    in.readUnsignedShort();
    int status = in.readUnsignedShort();
    int length = in.readInt();
    byte[] body = new byte[length];
    in.readFully(body);
    return new Response(status, body, length);
  }

  private byte[] readExactly(int length) throws IOException {
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  private void readLoop() {
    try {
      while (true) {
        int streamId = in.readUnsignedShort();
        int status = in.readUnsignedShort();
        int length = in.readInt();
        if (status == Protocol.ATTN) {
          handleAttention(length);
        } else {
          dispatch(streamId, status, length, in);
        }
      }
    } catch (IOException e) {
      fail(e instanceof EOFException ? new EOFException("connection to " + address + " closed") : e);
    } catch (RuntimeException e) {
      fail(new IOException("protocol error from " + address + ": " + e, e));
    }
  }

  private void handleAttention(int length) throws IOException {
    byte[] body = readExactly(length);
    ByteBuffer attention = ByteBuffer.wrap(body);
    if (length >= 16 && attention.getInt(0) == Protocol.ASYNC_RESPONSE) {
      int streamId = attention.getShort(8) & 0xFFFF;
      int status = attention.getShort(10) & 0xFFFF;
      int inner = attention.getInt(12);
      dispatch(streamId, status, inner, new DataInputStream(new java.io.ByteArrayInputStream(body, 16, inner)));
    }
  }

  private void dispatch(int streamId, int status, int length, DataInputStream from) throws IOException {
    Pending p = pending.get(streamId);
    if (p == null) {
      from.skipNBytes(length);
      log.debug("{}: answer for unknown stream {}", address, streamId);
      return;
    }
    switch (status) {
      case Protocol.OK, Protocol.OK_SO_FAR -> collect(p, length, from);
      case Protocol.WAIT_RESP -> {
        from.skipNBytes(length);
        return;
      }
      case Protocol.WAIT -> {
        byte[] body = new byte[length];
        from.readFully(body);
        int seconds = length >= 4 ? Math.max(0, Math.min(ByteBuffer.wrap(body).getInt(), 600)) : 1;
        log.info("{}: the server asks to wait {} s before resending ({})", address, seconds,
            new String(body, Math.min(4, length), Math.max(0, length - 4), StandardCharsets.UTF_8).trim());
        timer.schedule(() -> resend(streamId, p), seconds, TimeUnit.SECONDS);
        return;
      }
      default -> {
        byte[] body = new byte[length];
        from.readFully(body);
        pending.remove(streamId);
        p.future.complete(new Response(status, body, length));
        return;
      }
    }
    if (status == Protocol.OK) {
      pending.remove(streamId);
      byte[] body = p.target != null ? p.target : p.collected == null ? new byte[0] : p.collected;
      p.future.complete(new Response(Protocol.OK, body, p.length));
    }
  }

  private void collect(Pending p, int length, DataInputStream from) throws IOException {
    if (p.target != null && p.targetOffset + p.length + length <= p.target.length) {
      from.readFully(p.target, p.targetOffset + p.length, length);
    } else if (p.target != null) {
      throw new IOException(address + " sent more data than asked for");
    } else {
      if (p.collected == null || p.collected.length < p.length + length) {
        byte[] grown = new byte[Math.max(p.length + length, p.collected == null ? 0 : p.collected.length * 2)];
        if (p.collected != null) {
          System.arraycopy(p.collected, 0, grown, 0, p.length);
        }
        p.collected = grown;
      }
      from.readFully(p.collected, p.length, length);
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
      socket.close();
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
