package io.datapass.sidecar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU and memory of the container the sidecar runs in, from its cgroup files: cgroup v2 ({@code
 * cpu.stat}, {@code memory.current}, {@code memory.max}) or v1 ({@code cpuacct/cpuacct.usage},
 * {@code memory/memory.usage_in_bytes}, {@code memory/memory.limit_in_bytes}). With a private
 * cgroup namespace (the default for containers on cgroup v2) the root is the container's own
 * cgroup; the payload's container is a sibling that cannot be seen from here.
 */
final class CgroupStats {
  /** v1 reports "no limit" as the largest page-aligned long; anything this large is no limit. */
  private static final long NO_LIMIT = 1L << 62;

  /** One reading; a value is null when its file is missing or unreadable. */
  record Sample(String version, Double cpuSeconds, Long memoryBytes, Long memoryLimitBytes) {}

  private final Path root;

  CgroupStats(Path root) {
    this.root = root;
  }

  Sample read() {
    if (Files.exists(root.resolve("cgroup.controllers"))) {
      return new Sample(
          "v2", cpuV2(), number(root.resolve("memory.current")), limit(root.resolve("memory.max")));
    }
    Path cpuacct =
        Files.isDirectory(root.resolve("cpuacct"))
            ? root.resolve("cpuacct")
            : root.resolve("cpu,cpuacct");
    Long cpuNanos = number(cpuacct.resolve("cpuacct.usage"));
    return new Sample(
        "v1",
        cpuNanos == null ? null : cpuNanos / 1e9,
        number(root.resolve("memory/memory.usage_in_bytes")),
        limit(root.resolve("memory/memory.limit_in_bytes")));
  }

  private Double cpuV2() {
    String stat = text(root.resolve("cpu.stat"));
    if (stat == null) {
      return null;
    }
    for (String line : stat.split("\n")) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length == 2 && fields[0].equals("usage_usec")) {
        try {
          return Long.parseLong(fields[1]) / 1e6;
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static Long limit(Path file) {
    Long value = number(file);
    return value == null || value >= NO_LIMIT ? null : value;
  }

  /**
   * The file's whole number; null when missing, unreadable, or not a number ("max" in v2 limits).
   */
  private static Long number(Path file) {
    String text = text(file);
    if (text == null) {
      return null;
    }
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String text(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return null;
    }
  }
}
