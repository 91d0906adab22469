package io.datapass.xrootd;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.xrootd.testing.XrootdTestServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("redirector + data server (xrootd and cmsd)")
class XrootdRedirectIT {

  @Test
  void followsTheRedirectToTheDataServer() throws Exception {
    try (XrootdTestServer cluster = XrootdTestServer.redirectorWithDataServer();
        XrootdClient client = new XrootdClient(XrootdSettings.defaults())) {
      byte[] content = XrootdClientIT.random(1_000_000, 7);
      cluster.put("rdr/file.root", content);
      XrootdUrl viaRedirector = XrootdUrl.of(cluster.url("rdr/file.root"));
      try (XrootdFile file = client.openRead(viaRedirector)) {
        assertThat(file.server()).doesNotEndWith(":" + cluster.port());
        byte[] got = new byte[content.length];
        assertThat(file.read(0, got, 0, got.length).join()).isEqualTo(content.length);
        assertThat(got).isEqualTo(content);
      }
      assertThat(client.checksum(viaRedirector))
          .containsExactly("adler32", XrootdClientIT.adler32(content));
    }
  }

  /**
   * The redirector (named "localhost" in the URL) sends the client to 127.0.0.1, another host by
   * name: the data server's trace of opens shows the CGI it received.
   */
  @Test
  void theUrlsAuthzGoesOnlyToItsOwnHostNotToTheOneARedirectNames() throws Exception {
    try (XrootdTestServer cluster = XrootdTestServer.redirectorWithDataServer();
        XrootdClient client = new XrootdClient(XrootdSettings.defaults())) {
      cluster.put("rdr/token.root", new byte[] {1, 2, 3});
      URI sameHost = cluster.url("rdr/token.root");
      URI otherName = URI.create(sameHost.toString().replace("127.0.0.1", "localhost"));

      open(client, XrootdUrl.of(otherName).withParameter("authz", "FOR-LOCALHOST-ONLY"));
      open(client, XrootdUrl.of(sameHost).withParameter("authz", "FOR-127.0.0.1"));

      Path dataServerLog = cluster.home().resolve("log/ds/xrootd.log");
      cluster.awaitLog("ds/xrootd.log", "token.root?authz=FOR-127.0.0.1", Duration.ofSeconds(10));
      assertThat(Files.readString(dataServerLog))
          .contains("open rt /data/rdr/token.root\n")
          .doesNotContain("FOR-LOCALHOST-ONLY");
    }
  }

  private static void open(XrootdClient client, XrootdUrl url) throws Exception {
    try (XrootdFile file = client.openRead(url)) {
      assertThat(file.server()).startsWith("127.0.0.1:");
    }
  }
}
