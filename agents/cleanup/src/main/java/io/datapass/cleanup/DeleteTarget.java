package io.datapass.cleanup;

import io.datapass.common.ConfigException;
import java.util.regex.Pattern;

/**
 * A Kubernetes object of the pod's namespace to delete after the uploads: {@code job/NAME} or
 * {@code pvc/NAME}.
 */
record DeleteTarget(Kind kind, String name) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  enum Kind {
    JOB("job", "jobs"),
    PVC("pvc", "persistentvolumeclaims");

    final String label;

    /** As RBAC names it. */
    final String resource;

    Kind(String label, String resource) {
      this.label = label;
      this.resource = resource;
    }
  }

  static DeleteTarget parse(String text) throws ConfigException {
    int slash = text.indexOf('/');
    String kind = slash < 0 ? "" : text.substring(0, slash);
    String name = slash < 0 ? "" : text.substring(slash + 1);
    Kind parsed =
        switch (kind) {
          case "job" -> Kind.JOB;
          case "pvc" -> Kind.PVC;
          default ->
              throw new ConfigException("--delete takes job/NAME or pvc/NAME, got '" + text + "'");
        };
    if (!NAME.matcher(name).matches()) {
      throw new ConfigException(
          "--delete " + text + ": '" + name + "' is not a Kubernetes object name");
    }
    return new DeleteTarget(parsed, name);
  }

  @Override
  public String toString() {
    return kind.label + "/" + name;
  }
}
