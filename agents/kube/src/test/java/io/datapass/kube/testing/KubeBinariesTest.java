package io.datapass.kube.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeBinariesTest {
  @TempDir Path dir;

  @AfterEach
  void forget() {
    System.clearProperty("datapass.k8s.bin");
  }

  @Test
  void missingBinariesFailSayingHowToBuildThem() {
    System.setProperty("datapass.k8s.bin", dir.toString());
    assertThatThrownBy(KubeBinaries::locate)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "etcd and kube-apiserver not found in ["
                + dir
                + "]: run ci/cluster build (once; ci/test does "
                + "it) to build them from the Go module proxy");
  }

  @Test
  void aDirectoryHoldingBothIsTaken() throws Exception {
    for (String name : new String[] {"etcd", "kube-apiserver"}) {
      Files.writeString(dir.resolve(name), "#!/bin/sh\n").toFile().setExecutable(true);
    }
    System.setProperty("datapass.k8s.bin", dir.toString());
    assertThat(KubeBinaries.locate())
        .isEqualTo(new KubeBinaries(dir.resolve("etcd"), dir.resolve("kube-apiserver")));
  }
}
