package io.datapass.kube.testing;

import java.util.List;

/** One rule of a Role: these verbs on these resources of one API group ("" is the core group). */
public record RbacRule(String apiGroup, List<String> resources, List<String> verbs) {

  public static RbacRule allow(String apiGroup, String resource, String... verbs) {
    return new RbacRule(apiGroup, List.of(resource), List.of(verbs));
  }
}
