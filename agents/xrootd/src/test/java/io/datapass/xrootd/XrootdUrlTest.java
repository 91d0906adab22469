package io.datapass.xrootd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class XrootdUrlTest {

  @Test
  void parsesHostPortPathAndCgi() {
    XrootdUrl url =
        XrootdUrl.of(URI.create("root://eos.example.org:1095//eos/data/run1.root?authz=abc&x=1"));
    assertThat(url.host()).isEqualTo("eos.example.org");
    assertThat(url.port()).isEqualTo(1095);
    assertThat(url.path()).isEqualTo("/eos/data/run1.root");
    assertThat(url.cgi()).isEqualTo("authz=abc&x=1");
    assertThat(XrootdUrl.of(URI.create("root://host//a")).port()).isEqualTo(1094);
  }

  @Test
  void anotherPathOnTheSameServerKeepsTheCgi() {
    XrootdUrl url = XrootdUrl.of(URI.create("root://host//store/out.root?authz=abc"));
    XrootdUrl temporary = url.withPath("/store/.out.root.1234.part");
    assertThat(temporary.pathWithCgi()).isEqualTo("/store/.out.root.1234.part?authz=abc");
  }

  @Test
  void theAuthzTokenGoesOnlyToTheUrlsOwnHost() {
    XrootdUrl url = XrootdUrl.of(URI.create("root://Site//store/out.root?a=1&authz=abc&b=2"));
    assertThat(url.pathWithCgiFor("site")).isEqualTo("/store/out.root?a=1&authz=abc&b=2");
    assertThat(url.pathWithCgiFor("other")).isEqualTo("/store/out.root?a=1&b=2");
    assertThat(XrootdUrl.of(URI.create("root://site//f?authz=abc")).pathWithCgiFor("other"))
        .isEqualTo("/f");
  }

  @Test
  void addsParameters() {
    XrootdUrl plain = XrootdUrl.of(URI.create("root://host//store/out.root"));
    assertThat(plain.withParameter("oss.asize", "1024").pathWithCgi())
        .isEqualTo("/store/out.root?oss.asize=1024");
    XrootdUrl withCgi = XrootdUrl.of(URI.create("root://host//store/out.root?authz=abc"));
    assertThat(withCgi.withParameter("oss.asize", "7").pathWithCgi())
        .isEqualTo("/store/out.root?authz=abc&oss.asize=7");
  }

  @Test
  void refusesWhatIsNotAnXrootdUrl() {
    assertThatThrownBy(() -> XrootdUrl.of(URI.create("http://host/a")))
        .hasMessageContaining("not a root:// URL");
    assertThatThrownBy(() -> XrootdUrl.of(URI.create("root://host")))
        .hasMessageContaining("no path");
  }
}
