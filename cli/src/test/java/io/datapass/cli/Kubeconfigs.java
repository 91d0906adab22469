package io.datapass.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kubeconfig files, as a user of the command has them. */
public final class Kubeconfigs {
  private Kubeconfigs() {}

  /** A valid kubeconfig for a server nobody listens at. */
  public static String unreachable() {
    return withToken("https://127.0.0.1:1", null, "no-such-token", "default");
  }

  /** A kubeconfig that logs in with a bearer token, in {@code namespace}. */
  public static Path write(Path file, String server, Path ca, String token, String namespace)
      throws IOException {
    return Files.writeString(file, withToken(server, ca, token, namespace));
  }

  private static String withToken(String server, Path ca, String token, String namespace) {
    String trust = ca == null ? "insecure-skip-tls-verify: true" : "certificate-authority: " + ca;
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: test
            cluster: {server: "%s", %s}
        users:
          - name: user
            user: {token: "%s"}
        contexts:
          - name: test
            context: {cluster: test, user: user, namespace: %s}
        current-context: test
        """
        .formatted(server, trust, token, namespace);
  }
}
