package io.datapass.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("user-pod: wrong values are refused, naming the key")
class UserPodSchemaTest {

  @Test
  void aMisspeltKeyIsRefusedNamingIt() {
    assertThat(refusal(Values.user("jdoe").with("containers.web.imag", "nginx")))
        .contains("at '/containers/web'", "'imag' not allowed");
    assertThat(refusal(Values.user("jdoe").with("user.guid", 1000)))
        .contains("at '/user'", "'guid' not allowed");
    assertThat(refusal(Values.user("jdoe").with("service.tpye", "NodePort")))
        .contains("at '/service'", "'tpye' not allowed");
  }

  @Test
  void theSeedsReadonlyThatKubernetesSilentlyIgnoredIsRefused() {
    Values values =
        Values.user("jdoe")
            .with("volumes.data.claim", "dlstmp")
            .with("containers.web.mounts.data", Map.of("mountPath", "/data", "readonly", true));

    assertThat(refusal(values))
        .contains("at '/containers/web/mounts/data'", "'readonly' not allowed");
  }

  @Test
  void aWrongTypeOrValueIsRefusedNamingTheKey() {
    assertThat(refusal(Values.user("jdoe").with("user.uid", "1000")))
        .contains("at '/user/uid'", "got string, want null or integer");
    assertThat(refusal(Values.user("jdoe").with("user.uid", 0))).contains("at '/user/uid'");
    assertThat(refusal(Values.user("jdoe").with("service.type", "LoadBalancer")))
        .contains("at '/service/type'");
    assertThat(refusal(Values.user("jdoe").with("service.nodePort", 80)))
        .contains("at '/service/nodePort'");
    assertThat(refusal(Values.user("jdoe").with("containers.web.ports", Map.of("http", "80"))))
        .contains("at '/containers/web/ports/http'", "want integer");
    assertThat(refusal(Values.user("jdoe").with("containers.Web.image", "nginx")))
        .contains("at '/containers'", "'Web' not allowed");
    assertThat(refusal(Values.user("jdoe").with("volumes.datapass-tmp.emptyDir", Map.of())))
        .contains("'datapass-tmp'");
  }

  @Test
  void aVolumeIsExactlyOneKind() {
    assertThat(
            refusal(
                Values.user("jdoe")
                    .with("volumes.data", Map.of("claim", "dlstmp", "hostPath", "/dls"))))
        .contains("at '/volumes/data'");
    assertThat(refusal(Values.user("jdoe").with("volumes.data", Map.of("pvc", "dlstmp"))))
        .contains("at '/volumes/data'", "'pvc' not allowed");
  }

  @Test
  void whatOnlyTheTemplatesCanCheckIsRefusedNamingTheValue() {
    assertThat(refusal(Values.user("jdoe").with("user.uid", null)))
        .contains("user.uid is required");
    assertThat(refusal(Values.user("jdoe").with("user.gid", null)))
        .contains("user.gid is required");
    assertThat(refusal(Values.user("").with("experiment", "savu")))
        .contains("user.name is required");
    assertThat(refusal(Values.user("jdoe").with("containers.web.mounts.data.mountPath", "/data")))
        .contains("containers.web.mounts.data: there is no volume \"data\" in volumes");
    assertThat(refusal(Values.user("jdoe").with("service.targetPort", "https")))
        .contains("service.targetPort: no container has a port named \"https\"");
    assertThat(
            refusal(new Values().with("user.name", "jdoe").with("user.uid", 1).with("user.gid", 1)))
        .contains("containers: give at least one container");
  }

  private static String refusal(Values values) {
    return Helm.userPodRefusal("r", values);
  }
}
