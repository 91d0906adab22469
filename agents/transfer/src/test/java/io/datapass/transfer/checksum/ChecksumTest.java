package io.datapass.transfer.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChecksumTest {
  private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

  /*
   * Reference values computed outside Java:
   *   python3 -c "import zlib,hashlib; d=b'hello'; print('%08x'%zlib.adler32(d), hashlib.md5(d).hexdigest(),
   *               hashlib.sha256(d).hexdigest())"
   * crc32c with a bitwise Castagnoli implementation (reflected polynomial 0x82F63B78) that gives the standard
   * check value e3069283 for "123456789".
   */
  private static final String ADLER32_HELLO = "062c0215";
  private static final String CRC32C_HELLO = "9a71bb4c";
  private static final String CRC32C_CHECK = "e3069283";
  private static final String MD5_HELLO = "5d41402abc4b2a76b9719d911017c592";
  private static final String SHA256_HELLO =
      "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
  private static final String SHA256_EMPTY =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Nested
  @DisplayName("parse")
  class Parse {
    @ParameterizedTest
    @CsvSource({
      "adler32:0A1B2C3D, ADLER32, 0a1b2c3d",
      "ADLER32:0a1b2c3d, ADLER32, 0a1b2c3d",
      "crc32c:9a71bb4c, CRC32C, 9a71bb4c",
      "md5:5d41402abc4b2a76b9719d911017c592, MD5, 5d41402abc4b2a76b9719d911017c592",
      "sha-256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824, SHA256,"
          + " 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
    })
    void acceptsValidSpecs(String spec, ChecksumAlgorithm algorithm, String hex) {
      Checksum checksum = Checksum.parse(spec);

      assertThat(checksum.algorithm()).isEqualTo(algorithm);
      assertThat(checksum.hex()).isEqualTo(hex);
      assertThat(checksum).hasToString(algorithm.label() + ":" + hex);
    }

    @Test
    void toleratesSurroundingWhitespaceInTheValue() {
      assertThat(Checksum.parse("adler32: 062C0215 "))
          .isEqualTo(new Checksum(ChecksumAlgorithm.ADLER32, ADLER32_HELLO));
    }

    @Test
    void roundTripsThroughToString() {
      Checksum checksum = new Checksum(ChecksumAlgorithm.SHA256, SHA256_HELLO);
      assertThat(Checksum.parse(checksum.toString())).isEqualTo(checksum);
    }

    @Test
    void rejectsMissingColonAndNamesTheFormat() {
      assertThatThrownBy(() -> Checksum.parse("062c0215"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("algorithm:hexvalue")
          .hasMessageContaining("adler32, crc32c, md5, sha256")
          .hasMessageContaining("'062c0215'");
    }

    @Test
    void rejectsNull() {
      assertThatThrownBy(() -> Checksum.parse(null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("algorithm:hexvalue");
    }

    @Test
    void rejectsUnknownAlgorithmAndNamesIt() {
      assertThatThrownBy(() -> Checksum.parse("sha1:aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown checksum algorithm 'sha1'")
          .hasMessageContaining("known: adler32, crc32c, md5, sha256");
    }

    @Test
    void rejectsWrongLengthAndSaysHowManyDigits() {
      assertThatThrownBy(() -> Checksum.parse("md5:abc"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a md5 value has 32 hex digits, got 'abc'");
    }

    @Test
    void rejectsNonHexDigits() {
      assertThatThrownBy(() -> Checksum.parse("adler32:0a1b2c3g"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a adler32 value has 8 hex digits, got '0a1b2c3g'");
    }

    @Test
    void rejectsEmptyValue() {
      assertThatThrownBy(() -> Checksum.parse("sha256:"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("64 hex digits, got ''");
    }

    @Test
    void rejectsMissingAlgorithm() {
      assertThatThrownBy(() -> new Checksum(null, ADLER32_HELLO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("checksum algorithm is missing");
    }
  }

  @Nested
  @DisplayName("known vectors")
  class Vectors {
    @ParameterizedTest
    @CsvSource({
      "ADLER32, " + ADLER32_HELLO,
      "CRC32C, " + CRC32C_HELLO,
      "MD5, " + MD5_HELLO,
      "SHA256, " + SHA256_HELLO,
    })
    void ofHello(ChecksumAlgorithm algorithm, String expected) {
      Hasher hasher = algorithm.newHasher();
      hasher.update(HELLO, 0, HELLO.length);

      assertThat(hasher.hex()).isEqualTo(expected);
    }

    @Test
    void crc32cStandardCheckValue() {
      byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
      Hasher hasher = ChecksumAlgorithm.CRC32C.newHasher();
      hasher.update(data, 0, data.length);

      assertThat(hasher.hex()).isEqualTo(CRC32C_CHECK);
    }

    @Test
    void checksumSetComputesAllInOnePassAcrossSplitUpdates() {
      ChecksumSet set = new ChecksumSet(EnumSet.allOf(ChecksumAlgorithm.class));
      byte[] padded = "xxhelloyy".getBytes(StandardCharsets.US_ASCII);
      set.update(padded, 2, 2); // "he"
      set.update(padded, 4, 3); // "llo"

      assertThat(set.value(ChecksumAlgorithm.ADLER32).hex()).isEqualTo(ADLER32_HELLO);
      assertThat(set.value(ChecksumAlgorithm.CRC32C).hex()).isEqualTo(CRC32C_HELLO);
      assertThat(set.value(ChecksumAlgorithm.MD5).hex()).isEqualTo(MD5_HELLO);
      assertThat(set.value(ChecksumAlgorithm.SHA256).hex()).isEqualTo(SHA256_HELLO);
    }

    @Test
    void digestValueCanBeReadMidStreamWithoutDisturbingIt() {
      Hasher hasher = ChecksumAlgorithm.SHA256.newHasher();
      assertThat(hasher.hex()).isEqualTo(SHA256_EMPTY);
      hasher.update(HELLO, 0, HELLO.length);
      assertThat(hasher.hex()).isEqualTo(SHA256_HELLO);
      assertThat(hasher.hex()).isEqualTo(SHA256_HELLO);
    }

    @Test
    void resetStartsFromZero() {
      ChecksumSet set = new ChecksumSet(EnumSet.of(ChecksumAlgorithm.ADLER32));
      set.update(new byte[] {1, 2, 3}, 0, 3);
      ChecksumSet fresh = set.reset();
      fresh.update(HELLO, 0, HELLO.length);

      assertThat(fresh.value(ChecksumAlgorithm.ADLER32).hex()).isEqualTo(ADLER32_HELLO);
    }

    @Test
    void askingForAnAlgorithmNotComputedFails() {
      ChecksumSet set = new ChecksumSet(EnumSet.of(ChecksumAlgorithm.ADLER32));
      assertThatThrownBy(() -> set.value(ChecksumAlgorithm.MD5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("md5 is not computed here");
    }
  }

  @Nested
  @DisplayName("fromBase64")
  class FromBase64 {
    @Test
    void gcsCrc32cIsBigEndian() {
      // base64 of the big-endian bytes 9a 71 bb 4c, as GCS reports crc32c
      assertThat(Checksum.fromBase64(ChecksumAlgorithm.CRC32C, "mnG7TA=="))
          .isEqualTo(new Checksum(ChecksumAlgorithm.CRC32C, CRC32C_HELLO));
    }

    @Test
    void gcsMd5Hash() {
      // python3 -c "import hashlib,base64;
      // print(base64.b64encode(hashlib.md5(b'hello').digest()).decode())"
      assertThat(Checksum.fromBase64(ChecksumAlgorithm.MD5, "XUFAKrxLKna5cZ2REBfFkg=="))
          .isEqualTo(new Checksum(ChecksumAlgorithm.MD5, MD5_HELLO));
    }

    @Test
    void wrongLengthIsRejected() {
      assertThatThrownBy(() -> Checksum.fromBase64(ChecksumAlgorithm.MD5, "mnG7TA=="))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("32 hex digits");
    }
  }

  @Nested
  @DisplayName("of a file")
  class OfAFile {
    @TempDir Path dir;

    @Test
    void hashesTheWholeFile() throws Exception {
      Path file = Files.write(dir.resolve("hello"), HELLO);
      assertThat(ChecksumAlgorithm.CRC32C.of(file).hex()).isEqualTo(CRC32C_HELLO);
    }

    @Test
    void neverReadsThroughASymbolicLink() throws Exception {
      Path file = Files.write(dir.resolve("hello"), HELLO);
      Path link = Files.createSymbolicLink(dir.resolve("link"), file);

      assertThatThrownBy(() -> ChecksumAlgorithm.CRC32C.of(link))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(link.toString());
    }
  }
}
