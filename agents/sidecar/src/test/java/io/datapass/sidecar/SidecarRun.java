package io.datapass.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The sidecar run in-process, in a thread of its own (it blocks until the payload ends), as its
 * container runs it.
 */
final class SidecarRun {
  record Result(int exitCode, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  private final CompletableFuture<Result> result;

  private SidecarRun(CompletableFuture<Result> result) {
    this.result = result;
  }

  static SidecarRun start(Map<String, String> env, List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.add("--exit-on-done");
    CompletableFuture<Result> result =
        CompletableFuture.supplyAsync(
            () -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              ByteArrayOutputStream err = new ByteArrayOutputStream();
              int code =
                  Main.run(
                      all.toArray(String[]::new),
                      new PrintStream(out, true, StandardCharsets.UTF_8),
                      new PrintStream(err, true, StandardCharsets.UTF_8),
                      env);
              return new Result(
                  code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            },
            runnable -> new Thread(runnable, "sidecar-under-test").start());
    return new SidecarRun(result);
  }

  static SidecarRun start(String... args) {
    return start(Map.of(), List.of(args));
  }

  Result await() throws Exception {
    return result.get(60, TimeUnit.SECONDS);
  }

  boolean isRunning() {
    return !result.isDone();
  }
}
