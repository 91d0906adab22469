package io.datapass.transfer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocationsTest {

  @Nested
  @DisplayName("parse")
  class Parse {
    @Test
    void absolutePathBecomesFileUri(@TempDir Path dir) {
      Path file = dir.resolve("data.bin");

      URI uri = Locations.parse(file.toString());

      assertThat(uri.getScheme()).isEqualTo("file");
      assertThat(Path.of(uri)).isEqualTo(file.toAbsolutePath());
    }

    @Test
    void relativePathIsResolvedAgainstTheWorkingDirectoryAndNormalized() {
      URI uri = Locations.parse("some/dir/../file name.txt");

      assertThat(uri.getScheme()).isEqualTo("file");
      assertThat(Path.of(uri))
          .isEqualTo(Path.of("").toAbsolutePath().resolve("some").resolve("file name.txt"));
    }

    @Test
    void fileUriIsKeptAsIs() {
      assertThat(Locations.parse("file:///data/x.bin")).isEqualTo(URI.create("file:///data/x.bin"));
    }

    @Test
    void gsNameWithSpacesIsQuoted() {
      URI uri = Locations.parse("gs://bucket/run 42/my file.root");

      assertThat(uri.getScheme()).isEqualTo("gs");
      assertThat(uri.getAuthority()).isEqualTo("bucket");
      assertThat(uri.getPath()).isEqualTo("/run 42/my file.root");
      assertThat(uri.getRawPath()).isEqualTo("/run%2042/my%20file.root");
      assertThat(uri).hasToString("gs://bucket/run%2042/my%20file.root");
    }

    @Test
    void nonAsciiNamesAreAccepted() {
      URI uri = Locations.parse("gs://bucket/données/été.csv");

      assertThat(uri.getPath()).isEqualTo("/données/été.csv");
    }

    @Test
    void validUriIsUnchangedIncludingQuery() {
      URI uri = Locations.parse("https://host:8443/p/a.tar.gz?sig=abc%2Fdef&x=1");

      assertThat(uri).isEqualTo(URI.create("https://host:8443/p/a.tar.gz?sig=abc%2Fdef&x=1"));
      assertThat(uri.getRawQuery()).isEqualTo("sig=abc%2Fdef&x=1");
    }

    @Test
    void httpPathWithSpaceAndQueryKeepsBoth() {
      URI uri = Locations.parse("http://host/a b.txt?q=1");

      assertThat(uri.getPath()).isEqualTo("/a b.txt");
      assertThat(uri.getQuery()).isEqualTo("q=1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void rejectsEmpty(String location) {
      assertThatThrownBy(() -> Locations.parse(location))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("location is empty");
    }

    @Test
    void rejectsNull() {
      assertThatThrownBy(() -> Locations.parse(null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("location is empty");
    }
  }

  @Nested
  @DisplayName("baseName")
  class BaseName {
    @Test
    void lastSegmentDecoded() {
      assertThat(Locations.baseName(Locations.parse("gs://bucket/run 42/my file.root")))
          .isEqualTo("my file.root");
    }

    @Test
    void ignoresQuery() {
      assertThat(Locations.baseName(URI.create("https://h/dir/a.tar.gz?token=x/y")))
          .isEqualTo("a.tar.gz");
    }

    @Test
    void trailingSlashesAreDropped() {
      assertThat(Locations.baseName(URI.create("gs://bucket/prefix/dir//"))).isEqualTo("dir");
    }

    @Test
    void plainPath(@TempDir Path dir) {
      assertThat(Locations.baseName(Locations.parse(dir.resolve("x.bin").toString())))
          .isEqualTo("x.bin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://host", "https://host/", "gs://bucket/a/..", "http://h/."})
    void refusesWhenNoNameCanBeDerived(String location) {
      URI uri = URI.create(location);
      assertThatThrownBy(() -> Locations.baseName(uri))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot derive a file name from " + uri);
    }
  }

  @Test
  void isDirectoryOnlyWithTrailingSlash() {
    assertThat(Locations.isDirectory(URI.create("gs://b/prefix/"))).isTrue();
    assertThat(Locations.isDirectory(URI.create("gs://b/prefix"))).isFalse();
  }
}
