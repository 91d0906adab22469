package io.datapass.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flag given twice takes its last value, as most command lines do: commons-cli keeps every value
 * and {@code getOptionValue} answers the first, so an override appended to rendered arguments (a
 * chart's {@code extraArgs}) would be dropped without a word.
 */
final class LastValueWins {
  private static final Logger log = LoggerFactory.getLogger(Flags.class);

  private LastValueWins() {}

  /** {@code line} with only the last occurrence of each repeated flag not in {@code repeatable}. */
  static CommandLine apply(CommandLine line, Set<String> repeatable) {
    Map<String, List<Option>> byName = new LinkedHashMap<>();
    for (Option option : line.getOptions()) {
      byName.computeIfAbsent(option.getKey(), k -> new ArrayList<>()).add(option);
    }
    boolean repeated = false;
    for (Map.Entry<String, List<Option>> flag : byName.entrySet()) {
      List<Option> given = flag.getValue();
      if (given.size() > 1 && !repeatable.contains(flag.getKey()) && given.get(0).hasArg()) {
        repeated = true;
        List<String> values = given.stream().map(Option::getValue).toList();
        values.forEach(Secrets::hideInText);
        log.info(
            "{} given {} times {}: taking the last, {}",
            Flags.dashed(given.get(0)),
            given.size(),
            values,
            values.get(values.size() - 1));
      }
    }
    if (!repeated) {
      return line;
    }
    CommandLine.Builder kept = CommandLine.builder();
    for (Option option : line.getOptions()) {
      List<Option> given = byName.get(option.getKey());
      if (repeatable.contains(option.getKey())
          || !option.hasArg()
          || option == given.get(given.size() - 1)) {
        kept.addOption(option);
      }
    }
    line.getArgList().forEach(kept::addArg);
    return kept.get();
  }
}
