package io.datapass.xrootd;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.xrootd.testing.XrootdTestServer;
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
}
