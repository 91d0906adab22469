package io.datapass.sidecar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real bash payload run through the wrapper script, as the payload container runs it. */
final class Payload implements AutoCloseable {
  private final Process process;

  private Payload(Process process) {
    this.process = process;
  }

  /**
   * Starts {@code bash -c script} under the wrapper with {@code $WORKDIR} set; its output goes to
   * files.
   */
  static Payload start(Path workdir, Path logs, String script, String... env) throws IOException {
    Path wrapper = logs.resolve(Wrapper.RESOURCE);
    Files.writeString(wrapper, Wrapper.script());
    ProcessBuilder builder =
        new ProcessBuilder(List.of("bash", wrapper.toString(), "bash", "-c", script))
            .redirectOutput(logs.resolve("payload.out").toFile())
            .redirectError(logs.resolve("payload.err").toFile());
    builder.environment().put("DATAPASS_WORKDIR", workdir.toString());
    builder.environment().put("WORKDIR", workdir.toString());
    for (int i = 0; i < env.length; i += 2) {
      builder.environment().put(env[i], env[i + 1]);
    }
    return new Payload(builder.start());
  }

  Process process() {
    return process;
  }

  int await() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the payload did not end within 60 s");
    }
    return process.exitValue();
  }

  /** SIGKILL to the wrapper and everything below it, as an OOM kill takes the whole container. */
  void killContainer() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
