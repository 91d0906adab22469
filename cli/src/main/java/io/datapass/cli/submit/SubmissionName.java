package io.datapass.cli.submit;

import io.datapass.common.ConfigException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A submission's name: the Helm release, the Job and the {@code datapass.io/submission} label
 * alike, so that {@code datapass status NAME} finds what {@code submit} made. The chart keeps a DNS
 * label of at most 52 characters as it is (52: room for "-cleanup" and an Indexed Job's pod
 * hostnames); any other name it would change, so the command refuses it.
 */
final class SubmissionName {
  static final int MAX = 52;
  // a letter first, as the chart keeps only such names unchanged (a Service's name needs one)
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private SubmissionName() {}

  /** The names given, keyed by how: --name, the values file's submission.name, a --set. */
  static Map<String, String> given(
      String flag, ValuesFile file, List<Map.Entry<String, String>> sets) {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("--name ", flag);
    String inFile = file.text("submission", "name");
    names.put(file.path() + ": submission.name ", inFile.isEmpty() ? null : inFile);
    sets.stream()
        .filter(pair -> pair.getKey().equals("submission.name"))
        .forEach(pair -> names.put("--set submission.name=", pair.getValue()));
    return names;
  }

  /**
   * The one name the user gave, by {@code --name}, {@code --set submission.name} or the values
   * file's {@code submission.name} (keyed by how it was given, for errors); two different ones are
   * refused naming both. None: the experiment and the time.
   */
  static String chosenOf(Map<String, String> given, String experiment, Instant now)
      throws ConfigException {
    Map.Entry<String, String> first = null;
    for (Map.Entry<String, String> entry : given.entrySet()) {
      if (entry.getValue() == null) {
        continue;
      }
      if (first != null && !first.getValue().equals(entry.getValue())) {
        throw new ConfigException(
            "two names for the submission: "
                + first.getKey()
                + first.getValue()
                + " and "
                + entry.getKey()
                + entry.getValue()
                + "; give one");
      }
      if (first == null) {
        first = entry;
      }
    }
    return first == null
        ? chosen(null, experiment, now)
        : checked(first.getValue(), first.getKey().strip().replaceAll("[=:]$", ""));
  }

  /** {@code given} when valid; without one, the experiment and the time: ship-20261130-142233. */
  static String chosen(String given, String experiment, Instant now) throws ConfigException {
    if (given != null) {
      return checked(given, "--name");
    }
    String stamp = STAMP.format(now);
    String base =
        experiment.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (base.isEmpty() || Character.isDigit(base.charAt(0))) {
      base = "job-" + base;
    }
    base = base.substring(0, Math.min(base.length(), MAX - stamp.length() - 1));
    return base.replaceAll("-+$", "") + "-" + stamp;
  }

  private static String checked(String given, String source) throws ConfigException {
    if (given.length() > MAX || !DNS_LABEL.matcher(given).matches()) {
      throw new ConfigException(
          source
              + " '"
              + given
              + "' must be a DNS label of at most "
              + MAX
              + " characters: a-z, 0-9 and '-', starting with a letter and ending with a letter or"
              + " digit");
    }
    return given;
  }
}
