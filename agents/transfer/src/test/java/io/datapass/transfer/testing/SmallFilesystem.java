package io.datapass.transfer.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, size-limited filesystem for the tests: a tmpfs mounted with {@code size=} on an empty
 * directory, so a write past it fails with the kernel's own ENOSPC. Mounting needs root, as ci/test
 * already does (the xrootd server is started as root to drop to its user, the local cluster runs as
 * root); without it the tests fail, not skip.
 */
public final class SmallFilesystem implements AutoCloseable {
  private final Path mountPoint;

  private SmallFilesystem(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  public static SmallFilesystem mount(Path emptyDirectory, long bytes)
      throws IOException, InterruptedException {
    run(
        "mount",
        "-t",
        "tmpfs",
        "-o",
        "size=" + bytes + ",mode=0755",
        "tmpfs",
        emptyDirectory.toString());
    return new SmallFilesystem(emptyDirectory);
  }

  public Path root() {
    return mountPoint;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", mountPoint.toString());
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish in 30 s");
    }
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " failed (exit "
              + process.exitValue()
              + "): "
              + output
              + ". A size-limited tmpfs needs root: run the tests as ci/test does.");
    }
  }

  /** The entries directly under the filesystem's root, for assertions. */
  public List<String> names() throws IOException {
    return TestData.namesIn(mountPoint);
  }
}
