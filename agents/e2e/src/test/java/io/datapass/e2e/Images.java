package io.datapass.e2e;

import java.util.ArrayList;
import java.util.List;

/** The images the tests run; ci/test builds and loads them (ci/cluster load-image). */
final class Images {
  private Images() {}

  /** The agent image (agents/image): every role, named by the container's first argument. */
  static String agent() {
    return "datapass/agent:" + System.getProperty("datapass.image.tag", "0.1.0-SNAPSHOT");
  }

  /**
   * busybox-static with a static bash, uid 65532, with /www/index.html
   * (ci/lib/cluster/build-test-image.sh).
   */
  static String busybox() {
    return System.getProperty("datapass.image.busybox", "datapass/busybox:test");
  }

  /** Image tarballs to load into a cluster the tests start themselves (K3s). */
  static List<String> tarballs() {
    List<String> tarballs = new ArrayList<>();
    for (String property :
        new String[] {"datapass.image.busybox.tar", "datapass.image.agent.tar"}) {
      String path = System.getProperty(property);
      if (path != null && !path.isBlank()) {
        tarballs.add(path);
      }
    }
    return tarballs;
  }
}
