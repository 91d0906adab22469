package io.datapass.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cgroup files as the kernel lays them out, v2 and v1, and this machine's own. */
class CgroupStatsTest {
  @TempDir Path root;

  @Test
  void cgroupV2() throws Exception {
    Files.writeString(root.resolve("cgroup.controllers"), "cpu io memory pids\n");
    Files.writeString(
        root.resolve("cpu.stat"), "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n");
    Files.writeString(root.resolve("memory.current"), "52428800\n");
    Files.writeString(root.resolve("memory.max"), "134217728\n");

    assertThat(new CgroupStats(root).read())
        .isEqualTo(new CgroupStats.Sample("v2", 2.5, 52_428_800L, 134_217_728L));
  }

  @Test
  void cgroupV2WithoutALimit() throws Exception {
    Files.writeString(root.resolve("cgroup.controllers"), "memory\n");
    Files.writeString(root.resolve("memory.current"), "1000\n");
    Files.writeString(root.resolve("memory.max"), "max\n");

    assertThat(new CgroupStats(root).read())
        .isEqualTo(new CgroupStats.Sample("v2", null, 1000L, null));
  }

  @Test
  void cgroupV1() throws Exception {
    Files.writeString(
        Files.createDirectories(root.resolve("cpu,cpuacct")).resolve("cpuacct.usage"),
        "1500000000\n");
    Path memory = Files.createDirectories(root.resolve("memory"));
    Files.writeString(memory.resolve("memory.usage_in_bytes"), "4096\n");
    Files.writeString(memory.resolve("memory.limit_in_bytes"), "9223372036854771712\n");

    assertThat(new CgroupStats(root).read())
        .isEqualTo(new CgroupStats.Sample("v1", 1.5, 4096L, null));
  }

  @Test
  void thisMachinesCgroupIsRead() {
    CgroupStats.Sample sample = new CgroupStats(Path.of("/sys/fs/cgroup")).read();

    assertThat(sample.memoryBytes()).isPositive();
    assertThat(sample.cpuSeconds()).isPositive();
  }
}
