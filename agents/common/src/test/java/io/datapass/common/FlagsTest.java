package io.datapass.common;

import static org.assertj.core.api.Assertions.assertThat;
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
          .addOption(Option.builder().longOpt("retries").hasArg().build())
          .addOption(Option.builder().longOpt("remove").hasArg().build())
          .addOption(Option.builder().longOpt("overwrite").build());

  @Test
  void aFlagGivenTwiceTakesItsLastValueSoAnAppendedOverrideWorks() throws ConfigException {
    var line =
        Flags.parse(
            options,
            new String[] {"--retries", "5", "--manifest", "m", "--retries", "9", "--overwrite"},
            "usage");

    assertThat(line.getOptionValue("retries")).isEqualTo("9");
    assertThat(line.getOptionValues("retries")).containsExactly("9");
    assertThat(line.getOptionValue("manifest")).isEqualTo("m");
    assertThat(line.hasOption("overwrite")).isTrue();
  }

  @Test
  void aRepeatableFlagKeepsEveryValueInOrder() throws ConfigException {
    var line =
        Flags.parse(
            options,
            new String[] {"--remove", "/a", "--retries", "1", "--remove", "/b", "--retries", "2"},
            "usage",
            "remove");

    assertThat(line.getOptionValues("remove")).containsExactly("/a", "/b");
    assertThat(line.getOptionValue("retries")).isEqualTo("2");
  }

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
