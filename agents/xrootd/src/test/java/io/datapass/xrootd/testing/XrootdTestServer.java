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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's real xrootd server (5.5.x) on loopback for the tests: a standalone data server, one with
 * {@code unix} authentication, or a redirector (xrootd + cmsd manager) with one data server behind
 * it. Runs as the {@code xrootd} user (the server refuses root). Without the {@code xrootd-server}
 * package the tests fail.
 *
 * <p>Each xrootd binds a port of the kernel's choice ({@code xrd.port any}) and the port is read
 * back from its log. Two ports cannot be left to the kernel, so they are picked free and the start
 * is retried if another process takes one first (the daemon then exits with "address already in
 * use"): the manager cmsd's, which {@code all.manager} must name before anything starts, and any
 * port after {@link #restart()}, which must be the old one because the clients' URLs name it.
 */
public final class XrootdTestServer implements AutoCloseable {
  private static final Pattern STARTED =
      Pattern.compile("------ (?:xrootd|cmsd) \\S+:(\\d+) initialization (completed|failed)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path home;

  /** The directory of the daemons' configs and logs ({@code log/<name>/<program>.log}). */
  public Path home() {
    return home;
  }

  private final Path localRoot;
  private final List<Daemon> daemons = new ArrayList<>();
  private int port;

  /** One xrootd or cmsd process, its config file and log, and how to start it again. */
  private record Daemon(String program, String name, Path config, Path log, Process[] process) {}

  /** A daemon exited because another process holds the port its config names. */
  private static final class PortTakenException extends IOException {
    PortTakenException(String message) {
      super(message);
    }
  }

  private XrootdTestServer(Path home) {
    this.home = home;
    this.localRoot = home.resolve("root");
  }

  /** A standalone data server exporting {@code /data}, no authentication, adler32 checksums. */
  public static XrootdTestServer standalone() throws IOException, InterruptedException {
    return single("adler32", "");
  }

  /** A standalone data server whose checksum is {@code algorithm} (adler32, md5, crc32c ...). */
  public static XrootdTestServer withChecksum(String algorithm)
      throws IOException, InterruptedException {
    return single(algorithm, "");
  }

  /** A data server that demands the {@code unix} security protocol. */
  public static XrootdTestServer withUnixAuth() throws IOException, InterruptedException {
    return single("adler32", "xrootd.seclib libXrdSec.so\nsec.protocol unix\n");
  }

  private static XrootdTestServer single(String checksum, String extraConfig)
      throws IOException, InterruptedException {
    XrootdTestServer server = new XrootdTestServer(newHome());
    String config =
        "xrd.port any\nxrd.allow host localhost\n"
            + "oss.localroot "
            + server.localRoot
            + "\n"
            + "all.export /data\nall.adminpath "
            + server.home.resolve("admin")
            + "\nall.pidpath "
            + server.home.resolve("run")
            + "\nxrootd.chksum "
            + checksum
            + "\n"
            + extraConfig;
    server.port = server.startOnAnyPort("xrootd", "ds", config);
    return server;
  }

  /**
   * A redirector on the returned server's port with one data server behind it; clients are
   * redirected to the data server's port.
   */
  public static XrootdTestServer redirectorWithDataServer()
      throws IOException, InterruptedException {
    XrootdTestServer server = new XrootdTestServer(newHome());
    Path home = server.home;
    int cmsPort = 0;
    for (int attempt = 1; cmsPort == 0; attempt++) {
      int candidate = freePort();
      try {
        server.startOnPort("cmsd", "rdr", managerConfig(home, candidate));
        cmsPort = candidate;
      } catch (PortTakenException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
    server.port = server.startOnAnyPort("xrootd", "rdr", managerConfig(home, cmsPort));
    String data =
        "all.role server\nall.manager 127.0.0.1:"
            + cmsPort
            + "\nxrd.port any if exec xrootd\n"
            + "all.export /data\nxrd.allow host localhost\noss.localroot "
            + server.localRoot
            + "\nxrootd.chksum adler32\ncms.space min 10m 20m\nxrootd.trace fs\nall.adminpath "
            + home.resolve("admin-ds")
            + "\nall.pidpath "
            + home.resolve("run")
            + "\n";
    server.start("cmsd", "ds", data);
    server.startOnAnyPort("xrootd", "ds", data);
    server.awaitLog("rdr/cmsd.log", "logged in", Duration.ofSeconds(30));
    return server;
  }

  private static String managerConfig(Path home, int cmsPort) {
    return "all.role manager\nall.manager 127.0.0.1:"
        + cmsPort
        + "\nxrd.port any if exec xrootd\nxrd.port "
        + cmsPort
        + " if exec cmsd\nall.export /data\nxrd.allow host localhost\n"
        + "cms.delay startup 2 lookup 1 qdl 2\nxrootd.chksum adler32\nall.adminpath "
        + home.resolve("admin-rdr")
        + "\nall.pidpath "
        + home.resolve("run")
        + "\n";
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

  /**
   * Starts what {@link #kill()} stopped, on the same ports and data; a port another process took
   * meanwhile is tried again until the start timeout.
   */
  public void restart() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    for (Daemon d : daemons) {
      while (true) {
        d.process()[0] = launch(d);
        try {
          awaitStarted(d);
          break;
        } catch (PortTakenException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(200);
        }
      }
    }
    awaitPort(port);
  }

  /**
   * Starts a daemon whose config says {@code xrd.port any}, returns the port the kernel gave it,
   * and pins that port in its config for {@link #restart()}.
   */
  private int startOnAnyPort(String program, String name, String config)
      throws IOException, InterruptedException {
    Daemon daemon = start(program, name, config);
    int bound = awaitStarted(daemon);
    Files.writeString(daemon.config(), config.replace("xrd.port any", "xrd.port " + bound));
    awaitPort(bound);
    return bound;
  }

  private void startOnPort(String program, String name, String config)
      throws IOException, InterruptedException {
    Daemon daemon = start(program, name, config);
    try {
      awaitStarted(daemon);
    } catch (PortTakenException e) {
      daemons.remove(daemon);
      throw e;
    }
  }

  private Daemon start(String program, String name, String config) throws IOException {
    Path configFile = home.resolve(name + "-" + program + ".cfg");
    Files.writeString(configFile, config);
    for (String dir : new String[] {"root/data", "admin", "admin-rdr", "admin-ds", "run", "log"}) {
      Files.createDirectories(home.resolve(dir));
    }
    chownTree(home);
    Daemon daemon =
        new Daemon(
            program,
            name,
            configFile,
            home.resolve("log").resolve(name).resolve(program + ".log"),
            new Process[1]);
    daemon.process()[0] = launch(daemon);
    daemons.add(daemon);
    return daemon;
  }

  private Process launch(Daemon daemon) throws IOException {
    Files.deleteIfExists(daemon.log()); // a restart's log is read afresh
    List<String> command =
        List.of(
            daemon.program(),
            "-R",
            "xrootd",
            "-c",
            daemon.config().toString(),
            "-l",
            home.resolve("log").resolve(daemon.program() + ".log").toString(),
            "-n",
            daemon.name());
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(home.resolve(daemon.program() + "-" + daemon.name() + ".out").toFile())
          .start();
    } catch (IOException e) {
      throw new IOException(
          "cannot start " + daemon.program() + ": install Debian's xrootd-server (ci/test does)",
          e);
    }
  }

  /** Waits for the daemon's "initialization completed" line and returns the port it names. */
  private int awaitStarted(Daemon daemon) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      boolean exited =
          !daemon.process()[0].isAlive(); // read before the log: a dead daemon's log is complete
      String log = Files.exists(daemon.log()) ? Files.readString(daemon.log()) : "";
      Matcher started = STARTED.matcher(log);
      boolean ended = started.find();
      if (ended && started.group(2).equals("completed")) {
        return Integer.parseInt(started.group(1));
      }
      if (ended || exited) {
        daemon.process()[0].waitFor(5, TimeUnit.SECONDS);
        String why =
            daemon.program() + " " + daemon.name() + " did not start: " + tail(daemon.log());
        throw log.contains("address already in use")
            ? new PortTakenException(why)
            : new IOException(why);
      }
      Thread.sleep(50);
    }
    throw new IOException(
        daemon.program()
            + " "
            + daemon.name()
            + " did not start in "
            + START_TIMEOUT.toSeconds()
            + " s: "
            + tail(daemon.log()));
  }

  private void awaitPort(int port) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
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

  /**
   * Waits until the daemon log at {@code relative} (under the log directory) holds {@code text}.
   */
  public void awaitLog(String relative, String text, Duration timeout)
      throws IOException, InterruptedException {
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
    Path home =
        Files.createTempDirectory(
            Path.of("/tmp"),
            "datapass-xrootd-",
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
    PosixFileAttributeView view =
        Files.getFileAttributeView(
            path, PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    view.setOwner(user);
    view.setGroup(group);
  }

  /** A port free now, for the one daemon that cannot be given port 0 (see the class comment). */
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
