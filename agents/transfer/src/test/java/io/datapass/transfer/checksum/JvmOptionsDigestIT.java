package io.datapass.transfer.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The images' JVM flags (agents/jvm.options) leave C2 to the JDK's digest code, where its
 * SHA-256/MD5 intrinsics live, and keep it off everything else; their compile commands print
 * nothing on stdout, the agents' result channel.
 */
@Timeout(120)
class JvmOptionsDigestIT {
  private static final int MIB = 64;

  /** Code installed by C2 in a -XX:+LogCompilation log: its class and method name. */
  private static final Pattern C2_NMETHOD =
      Pattern.compile("<nmethod [^>]*compiler='c2'[^>]*method='([^ ']+ [^ ']+)");

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"sha256, SHA-256", "md5, MD5"})
  void printsOnlyTheValueOnStdout(String label, String jdkName) throws Exception {
    MessageDigest expected = MessageDigest.getInstance(jdkName);
    byte[] pattern = HashLoop.pattern();
    for (int i = 0; i < MIB; i++) {
      expected.update(pattern);
    }
    assertThat(run(List.of(), label)).isEqualTo(HexFormat.of().formatHex(expected.digest()) + "\n");
  }

  @Test
  void compilesTheJdkDigestWithC2AndNothingElse() throws Exception {
    Path log = dir.resolve("compilation.xml");
    // -Xbatch: each compile finishes before the code goes on, so what C2 gets does not depend on
    // the machine's load.
    run(
        List.of(
            "-Xbatch",
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:+LogCompilation",
            "-XX:LogFile=" + log),
        "sha256");
    String compilations = Files.readString(log);
    List<String> byC2 = C2_NMETHOD.matcher(compilations).results().map(m -> m.group(1)).toList();
    assertThat(byC2)
        .as("methods compiled by C2")
        .contains("sun.security.provider.DigestBase implCompressMultiBlock0")
        .allMatch(method -> method.startsWith("sun.security.provider."));
    assertThat(compilations)
        .as("C2 was asked for other hot methods and gave up")
        .contains("<method_not_compilable_at_tier level='4'/>");
  }

  private String run(List<String> flags, String algorithm) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + Path.of("../jvm.options").toAbsolutePath()));
    command.addAll(flags);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            HashLoop.class.getName(),
            algorithm,
            String.valueOf(MIB)));
    Path out = dir.resolve("stdout");
    Path err = dir.resolve("stderr");
    Process java =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(java.waitFor(100, TimeUnit.SECONDS)).as("hashing finished").isTrue();
    assertThat(java.exitValue()).as(Files.readString(err)).isZero();
    return Files.readString(out);
  }
}
