package io.datapass.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The image is built FROM scratch: no locale files, no LANG unless it sets one. Without it the JDK
 * reads file names as ASCII, and two payload files with accents collide in the cleanup's zip.
 */
@Timeout(60)
class ImageLocaleTest {

  @Test
  void theImagesEnvironmentMakesTheJdkReadFileNamesAsUtf8WithoutLocaleFiles() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher lang = Pattern.compile("<env><LANG>([^<]+)</LANG></env>").matcher(pom);
    assertThat(lang.find()).as("the image sets LANG").isTrue();

    ProcessBuilder java =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XshowSettings:properties",
                "-version")
            .redirectErrorStream(true);
    java.environment().clear(); // as in the image: only what it sets
    java.environment().put("LANG", lang.group(1));
    java.environment().put("LOCPATH", "/nonexistent"); // no locale files, as FROM scratch
    Process process = java.start();
    String settings = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(settings).contains("sun.jnu.encoding = UTF-8");
  }
}
