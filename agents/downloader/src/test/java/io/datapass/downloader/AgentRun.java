package io.datapass.downloader;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the agent in-process the way the container does, capturing exit code, stdout and stderr. */
record AgentRun(int exitCode, String out, String err) {

  static AgentRun of(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, o, e, env);
    }
    return new AgentRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static AgentRun of(String... args) {
    return of(Map.of(), args);
  }

  /** Common flags plus extra ones. */
  static String[] args(
      java.nio.file.Path manifest,
      java.nio.file.Path dest,
      java.nio.file.Path ready,
      String... extra) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--manifest",
                manifest.toString(),
                "--dest",
                dest.toString(),
                "--ready-file",
                ready.toString(),
                "--progress-interval",
                "1"));
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }
}
