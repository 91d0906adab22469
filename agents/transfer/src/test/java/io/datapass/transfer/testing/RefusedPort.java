package io.datapass.transfer.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where connections are refused: bound by this socket but never listening, so no
 * other process can take it while a test uses it (a port found free and closed again may be
 * anyone's a moment later).
 */
public final class RefusedPort implements AutoCloseable {
  private final Socket socket = new Socket();

  public RefusedPort() throws IOException {
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  public int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
