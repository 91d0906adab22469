package io.datapass.common;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FlagsTest {
  private final Options options =
      new Options()
          .addOption(Option.builder().longOpt("manifest").hasArg().build())
          .addOption(Option.builder().longOpt("retries").hasArg().build());

  @Test
  void aFlagWithoutItsValueIsNamedWithItsDashes() {
    assertThatThrownBy(() -> Flags.parse(options, new String[] {"--manifest"}, "usage"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--manifest needs a value\n");
  }

  @Test
  void aWholeNumberTooLargeForAnIntIsOutOfRangeNotMalformed() throws ConfigException {
    var line = Flags.parse(options, new String[] {"--retries", "99999999999"}, "usage");
    assertThatThrownBy(() -> Flags.integer(line, "retries", 5, 0, 100))
        .hasMessage("--retries must be a whole number between 0 and 100, got '99999999999'");
  }
}
