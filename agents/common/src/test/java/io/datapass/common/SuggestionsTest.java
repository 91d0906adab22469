package io.datapass.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {
  private static final List<String> FIELDS = List.of("checksum", "source", "target", "unpack");

  @ParameterizedTest
  @CsvSource({
    "sorce, source",
    "Source, source",
    "soruce, source",
    "chcksum, checksum",
    "checksun, checksum",
    "taget, target",
    "unpak, unpack",
    "url, ''",
    "destination, ''"
  })
  void suggestsTheClosestKnownNameOrNone(String typed, String expected) {
    assertThat(Suggestions.closest(typed, FIELDS)).isEqualTo(expected.isEmpty() ? null : expected);
  }
}
