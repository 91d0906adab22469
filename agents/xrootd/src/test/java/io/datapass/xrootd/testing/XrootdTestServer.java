package io.datapass.xrootd.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Debian's real xrootd server (5.5.x) on loopback for the tests: a standalone data server, one with {@code unix}
 * authentication, or a redirector (xrootd + cmsd manager) with one data server behind it. Runs as the
 * {@code xrootd} user (the server refuses root). Without the {@code xrootd-server} package the tests fail.
 */
public final class XrootdTestServer implements AutoCloseable {
  private final Path home;
  private final Path localRoot;
  private final List<Daemon> daemons = new ArrayList<>();
  private final int port;

  /** One xrootd or cmsd process and how to start it again. */
  private record Daemon(String program, List<String> args, Path log, Process[] process) {}

  private XrootdTestServer(Path home, Path localRoot, int port) {
    this.home = home;
    this.localRoot = localRoot;
    this.port = port;
  }

  /** A standalone data server exporting {@code /data}, no authentication, adler32 checksums. */
  public static XrootdTestServer standalone() throws IOException, InterruptedException {
    return single("adler32", "");
  }

  /** A standalone data server whose checksum is {@code algorithm} (adler32, md5, crc32c ...). */
  public static XrootdTestServer withChecksum(String algorithm) throws IOException, InterruptedException {
    return single(algorithm, "");
  }

  /** A data server that demands the {@code unix} security protocol. */
  public static XrootdTestServer withUnixAuth() throws IOException, InterruptedException {
    return single("adler32", "xrootd.seclib libXrdSec.so\nsec.protocol unix\n");
  }

  private static XrootdTestServer single(String checksum, String extraConfig)
      throws IOException, InterruptedException {
    Path home = newHome();
    int port = freePort();
    XrootdTestServer server = new XrootdTestServer(home, home.resolve("root"), port);
    String config = "xrd.port " + port + "\nxrd.allow host localhost\n" + "oss.localroot " + server.localRoot + "\n"
        + "all.export /data\nall.adminpath " + home.resolve("admin") + "\nall.pidpath " + home.resolve("run")
        + "\nxrootd.chksum " + checksum + "\n" + extraConfig;
    server.start("xrootd", "ds", config);
    server.awaitPort(port);
    return server;
  }

  /**
   * A redirector on the returned server's port with one data server behind it; clients are redirected to the data
   * server's port.
   */
  public static XrootdTestServer redirectorWithDataServer() throws IOException, InterruptedException {
    Path home = newHome();
    int managerPort = freePort();
    int cmsPort = freePort();
    int dataPort = freePort();
    XrootdTestServer server = new XrootdTestServer(home, home.resolve("root"), managerPort);
    String manager = "all.role manager\nall.manager 127.0.0.1:" + cmsPort + "\nxrd.port " + managerPort
        + " if exec xrootd\nxrd.port " + cmsPort + " if exec cmsd\nall.export /data\nxrd.allow host localhost\n"
        + "cms.delay startup 2 lookup 1 qdl 2\nxrootd.chksum adler32\nall.adminpath " + home.resolve("admin-rdr")
        + "\nall.pidpath " + home.resolve("run") + "\n";
    String data = "all.role server\nall.manager 127.0.0.1:" + cmsPort + "\nxrd.port " + dataPort
        + " if exec xrootd\nall.export /data\nxrd.allow host localhost\noss.localroot " + server.localRoot
        + "\nxrootd.chksum adler32\ncms.space min 10m 20m\nall.adminpath " + home.resolve("admin-ds")
        + "\nall.pidpath " + home.resolve("run") + "\n";
    server.start("cmsd", "rdr", manager);
    server.start("xrootd", "rdr", manager);
    server.start("cmsd", "ds", data);
    server.start("xrootd", "ds", data);
    server.awaitPort(managerPort);
    server.awaitPort(dataPort);
    server.awaitLog("rdr/cmsd.log", "logged in", Duration.ofSeconds(30));
    return server;
  }

  public int port() {
    return port;
  }

  /** {@code root://127.0.0.1:PORT//data/<relative>}. */
  public URI url(String relative) {
    return URI.create("root://127.0.0.1:" + port + "//data/" + relative);
  }

  /** Where the server keeps {@code /data/<relative>} on disk. */
  public Path file(String relative) {
    return localRoot.resolve("data").resolve(relative);
  }

  /** Writes a file the server serves, readable by it. */
  public Path put(String relative, byte[] content) throws IOException {
    Path file = file(relative);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
    giveToServer(file.getParent());
    giveToServer(file);
    return file;
  }

  /** Stops every process at once (SIGKILL), as a crash would. */
  public void kill() throws InterruptedException {
    for (Daemon d : daemons) {
      d.process()[0].destroyForcibly();
      d.process()[0].waitFor();
    }
  }

  /** Starts what {@link #kill()} stopped, on the same ports and data. */
  public void restart() throws IOException, InterruptedException {
    for (Daemon d : daemons) {
      d.process()[0] = launch(d);
    }
    awaitPort(port);
  }

  private void start(String program, String name, String config) throws IOException {
    Path configFile = home.resolve(name + "-" + program + ".cfg");
    if (!Files.exists(configFile)) {
      Files.writeString(configFile, config);
    }
    for (String dir : new String[] {"root/data", "admin", "admin-rdr", "admin-ds", "run", "log"}) {
      Files.createDirectories(home.resolve(dir));
    }
    chownTree(home);
    Path log = home.resolve("log").resolve(program + ".log");
    Daemon daemon = new Daemon(program, List.of("-R", "xrootd", "-c", configFile.toString(), "-l", log.toString(),
        "-n", name), home.resolve("log").resolve(name).resolve(program + ".log"), new Process[1]);
    daemon.process()[0] = launch(daemon);
    daemons.add(daemon);
  }

  private Process launch(Daemon daemon) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(daemon.program());
    command.addAll(daemon.args());
    try {
      return new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(home.resolve(daemon.program() + "-" + daemon.args().get(7) + ".out").toFile()).start();
    } catch (IOException e) {
      throw new IOException("cannot start " + daemon.program() + ": install Debian's xrootd-server (ci/test does)", e);
    }
  }

  private void awaitPort(int port) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (Daemon d : daemons) {
        if (!d.process()[0].isAlive()) {
          throw new IOException(d.program() + " exited: " + tail(d.log()));
        }
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IOException("xrootd did not listen on " + port + ": " + tail(daemons.get(0).log()));
  }

  private void awaitLog(String relative, String text, Duration timeout) throws IOException, InterruptedException {
    Path log = home.resolve("log").resolve(relative);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IOException("'" + text + "' never appeared in " + log + ": " + tail(log));
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log at " + log + ")";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }

  private static Path newHome() throws IOException {
    Path home = Files.createTempDirectory(Path.of("/tmp"), "datapass-xrootd-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    return home;
  }

  private static void chownTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        giveToServer(path);
      }
    }
  }

  /** Makes a path owned by the xrootd user, as the server runs as that user. */
  public static void giveToServer(Path path) throws IOException {
    UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal user = users.lookupPrincipalByName("xrootd");
    GroupPrincipal group = users.lookupPrincipalByGroupName("xrootd");
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
        java.nio.file.LinkOption.NOFOLLOW_LINKS);
    view.setOwner(user);
    view.setGroup(group);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    kill();
    try (Stream<Path> paths = Files.walk(home)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
