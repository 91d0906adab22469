package io.datapass.kube.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where {@code ci/cluster build} put etcd and kube-apiserver: {@code
 * $DATAPASS_CACHE/k8s/VERSION/bin} (by default {@code ~/.cache/datapass}), the newest version
 * first; {@code -Ddatapass.k8s.bin=DIR} or {@code DATAPASS_K8S_BIN} names another directory.
 * Missing binaries fail the tests: they are never skipped.
 */
public record KubeBinaries(Path etcd, Path apiServer) {

  public static KubeBinaries locate() {
    List<Path> candidates = new ArrayList<>();
    String named = System.getProperty("datapass.k8s.bin", System.getenv("DATAPASS_K8S_BIN"));
    if (named != null && !named.isBlank()) {
      candidates.add(Path.of(named));
    } else {
      Path versions = cache().resolve("k8s");
      if (Files.isDirectory(versions)) {
        try (Stream<Path> dirs = Files.list(versions)) {
          dirs.map(v -> v.resolve("bin"))
              .sorted(Comparator.reverseOrder())
              .forEach(candidates::add);
        } catch (IOException e) {
          throw new IllegalStateException("cannot list " + versions + ": " + e.getMessage(), e);
        }
      }
    }
    for (Path bin : candidates) {
      if (Files.isExecutable(bin.resolve("etcd"))
          && Files.isExecutable(bin.resolve("kube-apiserver"))) {
        return new KubeBinaries(bin.resolve("etcd"), bin.resolve("kube-apiserver"));
      }
    }
    throw new IllegalStateException(
        "etcd and kube-apiserver not found in "
            + (candidates.isEmpty() ? cache().resolve("k8s/*/bin") : candidates)
            + ": run ci/cluster build (once; ci/test does it) to build them from the Go module proxy");
  }

  private static Path cache() {
    String cache = System.getenv("DATAPASS_CACHE");
    if (cache != null && !cache.isBlank()) {
      return Path.of(cache);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    return (xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache"))
        .resolve("datapass");
  }
}
