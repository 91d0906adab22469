package io.datapass.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the command in the test's JVM, as {@code main} would, and keeps what it printed. */
public final class Run {
  /** The repository's charts/ and values/, beside this module. */
  public static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

  public static final Path CHARTS = REPOSITORY.resolve("charts");
  public static final Path VALUES = REPOSITORY.resolve("values");
  public static final Instant NOW = Instant.parse("2026-11-30T14:22:33Z");

  /** The exit code and both streams of one run. */
  public record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** values/*.yaml whose first line names the chart, {@code # chart: NAME}, in name order. */
  public static List<Path> valuesFor(String chart) throws IOException {
    List<Path> found = new ArrayList<>();
    try (var files = Files.list(VALUES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        if (Files.readAllLines(file).stream().findFirst().orElse("").equals("# chart: " + chart)) {
          found.add(file);
        }
      }
    }
    if (found.isEmpty()) {
      throw new AssertionError("no values file in " + VALUES + " for the chart " + chart);
    }
    return found;
  }

  private final Map<String, String> env = new HashMap<>();
  private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  private Run() {}

  /** An environment with only HOME (a directory without a kubeconfig) and the charts. */
  public static Run isolated(Path home) {
    Run run = new Run();
    run.env.put("HOME", home.toString());
    run.env.put("DATAPASS_CHARTS", CHARTS.toString());
    return run;
  }

  public Run env(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  public Run clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * The packaged command, {@code target/datapass.jar} with its {@code lib/}, as a process of its
   * own: what bin/datapass runs (integration tests only: the jar exists from the package phase).
   */
  public Result jar(String... args) throws IOException, InterruptedException {
    return jarAt(Path.of("target", "datapass.jar").toAbsolutePath(), args);
  }

  /** A copy of the packaged command at {@code jar}, run in the directory HOME names. */
  public Result jarAt(Path jar, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(Path.of(env.get("HOME")).toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    Path out = Files.createTempFile("datapass-out", ".txt");
    Path err = Files.createTempFile("datapass-err", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("datapass " + String.join(" ", args) + " did not end in 2 min");
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  public Result datapass(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, new Invocation(o, e, Map.copyOf(env), clock));
    }
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
