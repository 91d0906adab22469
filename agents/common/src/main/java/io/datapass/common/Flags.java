package io.datapass.common;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * Command-line parsing shared by the roles (commons-cli stays here, at the edge). Every error is a
 * {@link ConfigException} that names the flag, or the environment variable the value came from.
 */
public final class Flags {
  private static final int HELP_WIDTH = 100;

  private Flags() {}

  /**
   * Parses {@code args}; an unknown flag, a missing value or a stray argument is a usage error with
   * the usage. A flag given more than once takes its last value (logged), so a value appended to
   * rendered arguments (a chart's {@code extraArgs}) overrides; the flags named in {@code
   * repeatable} keep every value instead.
   */
  public static CommandLine parse(
      Options options, String[] args, String usage, String... repeatable) throws ConfigException {
    CommandLine line;
    try {
      // No abbreviations: "--ready" for "--ready-file" would be taken by the parser but missed by a
      // reader of the raw arguments (the downloader's stale ready file), and flags added later
      // would
      // silently change what an abbreviation means.
      line = DefaultParser.builder().setAllowPartialMatching(false).get().parse(options, args);
    } catch (MissingArgumentException e) {
      throw new ConfigException(dashed(e.getOption()) + " needs a value\n" + usage);
    } catch (ParseException e) {
      throw new ConfigException(e.getMessage() + "\n" + usage);
    }
    if (!line.getArgList().isEmpty() && !line.hasOption("help")) {
      throw new ConfigException("unexpected arguments " + line.getArgList() + "\n" + usage);
    }
    return LastValueWins.apply(line, Set.of(repeatable));
  }

  /**
   * The flag's whole number within {@code [min, max]}, else {@code fallback} (which may come from
   * the environment variable {@code envName}, then named in errors), else null.
   */
  public static Integer integer(
      CommandLine line, String flag, String fallback, String envName, int min, int max)
      throws ConfigException {
    String text = line.getOptionValue(flag, fallback);
    if (text == null) {
      return null;
    }
    String name = line.hasOption(flag) || envName == null ? "--" + flag : envName;
    try {
      int value = Integer.parseInt(text.strip());
      if (value < min || value > max) {
        throw new ConfigException(
            name + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      // Also a whole number too large for an int: say the range, not "a whole number" it already
      // is.
      String range =
          max == Integer.MAX_VALUE ? " of at least " + min : " between " + min + " and " + max;
      throw new ConfigException(name + " must be a whole number" + range + ", got '" + text + "'");
    }
  }

  /**
   * The flag's number of seconds, fractions allowed ({@code 0.5}), within {@code [min, max]}, or
   * {@code fallback} when the flag is absent.
   */
  public static Duration seconds(
      CommandLine line, String flag, String fallback, double min, double max)
      throws ConfigException {
    String text = line.getOptionValue(flag, fallback);
    String range = "between " + plain(min) + " and " + plain(max);
    try {
      double value = Double.parseDouble(text.strip());
      if (!(value >= min && value <= max)) {
        throw new ConfigException(
            "--" + flag + " must be " + range + " seconds, got " + text.strip());
      }
      return Duration.ofNanos(Math.round(value * 1e9));
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "--" + flag + " must be a number of seconds " + range + ", got '" + text + "'");
    }
  }

  private static String plain(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  /** An option as users type it: {@code --manifest}, or {@code -h} when it has no long name. */
  public static String dashed(Option option) {
    return option.getLongOpt() != null ? "--" + option.getLongOpt() : "-" + option.getOpt();
  }

  /**
   * The flag's whole number within {@code [min, max]}, or {@code fallback} when the flag is absent.
   */
  public static int integer(CommandLine line, String flag, int fallback, int min, int max)
      throws ConfigException {
    return integer(line, flag, Integer.toString(fallback), null, min, max);
  }

  /** A path, or null for an absent or blank value. */
  public static Path path(String text) {
    return text == null || text.isBlank() ? null : Path.of(text);
  }

  /**
   * The usage text: synopsis, what the role does, its flags, then the footer (exit codes,
   * credentials).
   */
  public static String usage(String synopsis, String header, Options options, String footer) {
    StringWriter text = new StringWriter();
    new HelpFormatter()
        .printHelp(new PrintWriter(text), HELP_WIDTH, synopsis, header, options, 2, 2, footer);
    return text.toString();
  }
}
