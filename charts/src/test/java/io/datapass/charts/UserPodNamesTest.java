package io.datapass.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("user-pod: names and labels of any user's name")
class UserPodNamesTest {
  // a letter first: the Service's name is a DNS-1035 label
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  @Test
  void aDnsSafeUserNameIsKeptAfterTheExperiment() {
    Rendered rendered = Helm.userPod("r", Values.user("jdoe").with("experiment", "savu"));

    assertThat(rendered.names()).containsExactlyInAnyOrder("Service/savu-jdoe", "Pod/savu-jdoe");
    assertThat(Rendered.name(Helm.userPod("r", Values.user("jdoe")).userPod())).isEqualTo("jdoe");
  }

  @Test
  void oddUserNamesGiveDistinctDnsSafeNamesEvenWhenTheyCleanUpAlike() {
    Set<String> pods = new HashSet<>();
    List<String> users =
        List.of(
            "Jane.Doe@diamond.ac.uk",
            "jane.doe@diamond.ac.uk",
            "jane-doe-diamond-ac-uk",
            "JDoe",
            "j_doe",
            "j.doe",
            "jöe",
            "...",
            "1234");
    for (String user : users) {
      Rendered rendered = Helm.userPod("r", Values.user(user).with("experiment", "savu"));
      for (JsonNode object : rendered.objects()) {
        assertThat(Rendered.name(object)).as(user).matches(DNS_LABEL);
      }
      assertThat(Rendered.name(rendered.userPod())).as(user).hasSizeLessThanOrEqualTo(52);
      assertLabelsValid(rendered);
      pods.add(Rendered.name(rendered.userPod()));
    }
    assertThat(pods).hasSize(users.size()).contains("savu-jane-doe-diamond-ac-uk");
    assertThat(pods).anyMatch(p -> p.matches("savu-jane-doe-diamond-ac-uk-[0-9a-f]{8}"));
  }

  @Test
  void aNameStartingWithADigitStillNamesAValidService() {
    for (Values values :
        List.of(
            Values.user("jdoe").with("experiment", "3dxrd"),
            Values.user("1234"),
            Values.user("---"))) {
      Rendered rendered = Helm.userPod("r", values);
      for (JsonNode object : rendered.objects()) {
        assertThat(Rendered.name(object)).matches(DNS_LABEL);
      }
    }
    assertThat(
            Rendered.name(
                Helm.userPod("r", Values.user("jdoe").with("experiment", "3dxrd")).userPod()))
        .matches("n3dxrd-jdoe-[0-9a-f]{8}");
  }

  @Test
  void aHundredCharacterUserNameGivesValidNamesAndTwoThatDifferAtTheirEndStayDistinct() {
    String common = "a.very.long.federal.identity." + "x".repeat(66);
    Set<String> seen = new HashSet<>();
    for (String user : List.of(common + "1@stfc.ac.uk", common + "2@stfc.ac.uk")) {
      assertThat(user).hasSizeGreaterThanOrEqualTo(100);
      Rendered rendered = Helm.userPod("r", Values.user(user).with("experiment", "savu"));
      for (JsonNode object : rendered.objects()) {
        assertThat(Rendered.name(object)).matches(DNS_LABEL).hasSizeLessThanOrEqualTo(63);
      }
      // the pod and its Service share the name; the helm test pod adds "-test" (at most 57)
      assertThat(Rendered.name(rendered.userPod())).hasSizeLessThanOrEqualTo(52);
      assertThat(seen.add(Rendered.name(rendered.userPod()))).isTrue();
      assertThat(Rendered.name(rendered.userPod())).startsWith("savu-a-very-long-federal-");
      assertLabelsValid(rendered);
      assertThat(seen.add(label(rendered.userPod(), "datapass.io/user"))).isTrue();
    }
  }

  @Test
  void everyObjectCarriesTheStandardLabelsTheUsersAndTheExperimentsButNoSubmission() {
    Rendered rendered =
        Helm.userPod(
            "savu-jdoe", Values.user("Jane Doe <jdoe@diamond.ac.uk>").with("experiment", "Savu"));

    for (JsonNode object : rendered.objects()) {
      String name = Rendered.name(object);
      assertThat(label(object, "app.kubernetes.io/name")).as(name).isEqualTo("user-pod");
      assertThat(label(object, "app.kubernetes.io/instance")).as(name).isEqualTo("savu-jdoe");
      assertThat(label(object, "app.kubernetes.io/part-of")).as(name).isEqualTo("datapass");
      assertThat(label(object, "helm.sh/chart")).as(name).isEqualTo("user-pod-0.1.0");
      assertThat(label(object, "datapass.io/experiment")).as(name).startsWith("savu-");
      assertThat(label(object, "datapass.io/user")).as(name).startsWith("jane-doe-jdoe-diamond-");
      assertThat(object.path("metadata").path("labels").has("datapass.io/submission"))
          .as(name)
          .isFalse();
    }
    assertLabelsValid(rendered);
  }

  @Test
  void fullnameOverrideReplacesTheBaseOfEveryName() {
    Rendered rendered = Helm.userPod("r", Values.user("jdoe").with("fullnameOverride", "uid1000"));

    assertThat(rendered.names()).containsExactlyInAnyOrder("Service/uid1000", "Pod/uid1000");
    assertThat(label(rendered.userPod(), "datapass.io/user")).isEqualTo("jdoe");
  }

  private static void assertLabelsValid(Rendered rendered) {
    for (JsonNode object : rendered.objects()) {
      for (Map.Entry<String, JsonNode> label :
          object.path("metadata").path("labels").properties()) {
        assertThat(label.getValue().asText()).as(label.getKey()).matches(LABEL_VALUE);
      }
    }
  }

  private static String label(JsonNode object, String key) {
    return object.path("metadata").path("labels").path(key).asText();
  }
}
