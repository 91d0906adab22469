package io.datapass.xrootd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datapass.xrootd.testing.XrootdTestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class XrootdAuthIT {

  @Test
  void unixAuthenticationLogsIn() throws Exception {
    try (XrootdTestServer server = XrootdTestServer.withUnixAuth();
        XrootdClient client = new XrootdClient(XrootdSettings.defaults())) {
      server.put("auth/a.bin", new byte[] {1, 2, 3});
      assertThat(client.stat(XrootdUrl.of(server.url("auth/a.bin"))).size()).isEqualTo(3);
    }
  }

  /** The image's uid has no passwd entry: the JVM's user.name is "?" there, a poor login name. */
  @Test
  void logsInAsDatapassWhateverTheLocalUserIs() throws Exception {
    try (XrootdTestServer server = XrootdTestServer.withUnixAuth();
        XrootdClient client = new XrootdClient(XrootdSettings.defaults())) {
      server.put("auth/a.bin", new byte[] {1, 2, 3});
      assertThat(client.stat(XrootdUrl.of(server.url("auth/a.bin"))).size()).isEqualTo(3);
      server.awaitLog("ds/xrootd.log", "login as datapass", Duration.ofSeconds(10));
    }
  }

  @Test
  void aServerAskingForAnUnsupportedProtocolFailsClearly() throws Exception {
    try (XrootdTestServer server = XrootdTestServer.withUnixAuth();
        XrootdClient client =
            new XrootdClient(XrootdSettings.defaults().withSecurityProtocols(List.of()))) {
      assertThatThrownBy(() -> client.stat(XrootdUrl.of(server.url("auth/a.bin"))))
          .isInstanceOfSatisfying(
              XrootdException.class,
              e -> {
                assertThat(e.code()).isEqualTo(XrootdException.AUTH_FAILED);
                assertThat(e.getMessage()).contains("server asks for unix");
              });
    }
  }
}
