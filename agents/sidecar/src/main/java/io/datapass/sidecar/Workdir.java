package io.datapass.sidecar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.OptionalInt;

/**
 * The files of the /workdir protocol (the k-pipe sidecar's contract), shared by every container of
 * the pod through one emptyDir volume. The sidecar reads them; only {@code input/} and {@code
 * ready} are its own. What the payload writes is read through {@link PayloadFiles}: regular files
 * only, never through a link, a few KiB at most.
 */
final class Workdir {
  /** What {@link #readDone} returns for a {@code done} that holds no number. */
  static final int UNKNOWN_EXIT_CODE = -1;

  private final Path root;
  private final PayloadFiles files = new PayloadFiles();

  Workdir(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  Path input() {
    return root.resolve("input");
  }

  Path output() {
    return root.resolve("output");
  }

  /** Written last by whoever fetched the inputs; the sidecar's startup probe waits for it. */
  Path ready() {
    return root.resolve("ready");
  }

  /** Created by the payload's wrapper when the payload starts. */
  Path started() {
    return root.resolve("started");
  }

  /** One line written by the payload: RUNNING or its own values. */
  Path state() {
    return root.resolve("state");
  }

  /** Re-created by the payload (or its wrapper) within the liveness deadline. */
  Path healthy() {
    return root.resolve("healthy");
  }

  /** Written by the wrapper when the payload ended: its exit code. */
  Path done() {
    return root.resolve("done");
  }

  /**
   * The payload's state as written: the last non-blank line of {@code state}, trimmed, or empty
   * when the file is missing, blank (as it is for a moment while a payload rewrites it with {@code
   * echo X > state}) or not a regular file. Whether it may be passed on is {@link
   * StateMachine#isPayloadState}'s to say.
   */
  String readState() throws IOException {
    String text = readPayloadFile(state());
    if (text == null) {
      return "";
    }
    // The last line counts: payloads overwrite the file (echo X > state) or append to it.
    if (text.length() >= PayloadFiles.MAX_BYTES && !text.endsWith("\n")) {
      text = text.substring(0, text.lastIndexOf('\n') + 1); // the read cut its last line
    }
    List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  /**
   * The payload's exit code from {@code done}: empty while the file is missing; 0 for an empty file
   * (k-pipe payloads that create {@code done} themselves write no code); {@link #UNKNOWN_EXIT_CODE}
   * for anything but a number.
   */
  OptionalInt readDone() throws IOException {
    String text = readPayloadFile(done());
    if (text == null) {
      return OptionalInt.empty();
    }
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return OptionalInt.of(0);
    }
    try {
      return OptionalInt.of(Integer.parseInt(trimmed.lines().findFirst().orElse("").strip()));
    } catch (NumberFormatException e) {
      return OptionalInt.of(UNKNOWN_EXIT_CODE);
    }
  }

  /** True once {@code started} exists as a regular file. */
  boolean payloadStarted() throws IOException {
    return files.isRegularFile(started());
  }

  /**
   * When {@code healthy} was last re-created or touched, or null while it does not exist as a
   * regular file.
   */
  FileTime healthyRefreshed() throws IOException {
    return files.modified(healthy());
  }

  private String readPayloadFile(Path file) throws IOException {
    byte[] bytes = files.read(file);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
