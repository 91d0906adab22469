package io.datapass.cli.user;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.datapass.cli.Run;
import io.datapass.cli.Run.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code user start --dry-run} through the real Helm engine (helm-java) with charts/user-pod and
 * values/savu.yaml: the uid and gid the pod runs as, and the names, which the command computes
 * itself and the chart must agree with.
 */
class UserStartDryRunTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir Path home;

  private final String savu = Run.VALUES.resolve("savu.yaml").toString();

  private Result datapass(String... args) {
    return Run.isolated(home).env("USER", "jdoe").datapass(args);
  }

  private static List<JsonNode> objects(String printed) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(printed)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && !document.isNull() && !document.isEmpty()) {
          objects.add(document);
        }
      }
    }
    return objects;
  }

  private static JsonNode kind(List<JsonNode> objects, String kind) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind))
        .filter(o -> !o.at("/metadata/annotations/helm.sh~1hook").isTextual())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in " + objects));
  }

  @Test
  void thePodRunsAsTheGivenUidAndGidWithTheGidAsFsGroup() throws Exception {
    Result dry =
        datapass(
            "user", "start", savu, "--uid", "37123", "--gid", "4500", "--dry-run", "-n", "dls");

    assertThat(dry.code()).as(dry.toString()).isZero();
    assertThat(dry.err())
        .isEqualTo("dry run: savu-jdoe for jdoe (uid 37123, gid 4500); nothing installed\n");
    List<JsonNode> objects = objects(dry.out());
    JsonNode pod = kind(objects, "Pod");
    assertThat(pod.at("/metadata/name").asText()).isEqualTo("savu-jdoe");
    assertThat(pod.at("/spec/securityContext/runAsUser").asLong()).isEqualTo(37123);
    assertThat(pod.at("/spec/securityContext/runAsGroup").asLong()).isEqualTo(4500);
    assertThat(pod.at("/spec/securityContext/fsGroup").asLong()).isEqualTo(4500);
    assertThat(pod.at("/metadata/labels/datapass.io~1user").asText()).isEqualTo("jdoe");
    assertThat(pod.at("/metadata/labels/datapass.io~1experiment").asText()).isEqualTo("savu");
    assertThat(pod.at("/metadata/labels/app.kubernetes.io~1instance").asText())
        .isEqualTo("savu-jdoe");
    JsonNode service = kind(objects, "Service");
    assertThat(service.at("/metadata/name").asText()).isEqualTo("savu-jdoe");
    assertThat(service.at("/spec/type").asText()).isEqualTo("ClusterIP");
  }

  @Test
  void withoutUidAndGidTheCallersAreTaken() throws Exception {
    long uid = Long.parseLong(id("-u"));
    long gid = Long.parseLong(id("-g"));

    Result dry = datapass("user", "start", savu, "--dry-run");

    if (uid == 0) {
      // root (as CI runs): the pod would run as root, which no user pod does
      assertThat(dry.code()).as(dry.toString()).isEqualTo(2);
      assertThat(dry.err())
          .contains("datapass user start: you run as root (uid 0)")
          .contains("give --uid N --gid N");
      dry = datapass("user", "start", savu, "--uid", "1000", "--dry-run");
      uid = 1000;
    }
    assertThat(dry.code()).as(dry.toString()).isZero();
    JsonNode pod = kind(objects(dry.out()), "Pod");
    assertThat(pod.at("/spec/securityContext/runAsUser").asLong()).isEqualTo(uid);
    assertThat(pod.at("/spec/securityContext/runAsGroup").asLong()).isEqualTo(gid);
  }

  @Test
  void theCommandNamesOddAndLongUsersAsTheChartDoes() throws Exception {
    List<String> names = new ArrayList<>();
    for (String user : List.of("Jane.Doe@diamond.ac.uk", "jane-doe", "x".repeat(100), "__")) {
      Result dry =
          datapass(
              "user", "start", savu, "--name", user, "--uid", "1000", "--gid", "1000", "--dry-run");

      assertThat(dry.code()).as(dry.toString()).isZero();
      String name = kind(objects(dry.out()), "Pod").at("/metadata/name").asText();
      assertThat(name).isEqualTo(UserPodName.of("savu", user)).hasSizeLessThanOrEqualTo(52);
      assertThat(dry.err()).startsWith("dry run: " + name + " for " + user + " ");
      names.add(name);
    }
    assertThat(names.get(0)).startsWith("savu-jane-doe-diamond-ac-uk-").hasSize(36);
    assertThat(names.get(1)).isEqualTo("savu-jane-doe");
    assertThat(names).doesNotHaveDuplicates();
  }

  static List<Path> experiments() throws IOException {
    return Run.valuesFor("user-pod");
  }

  @ParameterizedTest
  @MethodSource("experiments")
  void everyUserPodValuesFileRendersAsTheUsersPod(Path values) throws Exception {
    Result dry =
        datapass("user", "start", values.toString(), "--uid", "1000", "--gid", "100", "--dry-run");

    assertThat(dry.code()).as(dry.toString()).isZero();
    JsonNode pod = kind(objects(dry.out()), "Pod");
    assertThat(pod.at("/metadata/labels/datapass.io~1user").asText()).isEqualTo("jdoe");
    assertThat(pod.at("/spec/securityContext/runAsUser").asLong()).isEqualTo(1000);
  }

  @Test
  void setFlagsComeLastAsInHelm() throws Exception {
    Result dry =
        datapass(
            "user",
            "start",
            savu,
            "--uid",
            "1000",
            "--gid",
            "1000",
            "--set",
            "service.type=NodePort",
            "--set",
            "service.nodePort=30080",
            "--dry-run");

    assertThat(dry.code()).as(dry.toString()).isZero();
    JsonNode service = kind(objects(dry.out()), "Service");
    assertThat(service.at("/spec/type").asText()).isEqualTo("NodePort");
    assertThat(service.at("/spec/ports/0/nodePort").asInt()).isEqualTo(30080);
  }

  @Test
  void valuesTheChartRefusesAreAUsageErrorNamingTheFileAndKey() throws Exception {
    Path typo =
        Files.writeString(
            home.resolve("typo.yaml"),
            "experiment: savu\ncontainers:\n  web:\n    image: nginx\n    ports: {http: 8080}\n"
                + "    mounts:\n      data: {mountPath: /data, readonly: true}\n"
                + "volumes:\n  data: {claim: dlstmp}\n");

    Result dry =
        datapass("user", "start", typo.toString(), "--uid", "1000", "--gid", "1", "--dry-run");

    assertThat(dry.code()).as(dry.toString()).isEqualTo(2);
    assertThat(dry.err())
        .contains("datapass user start: " + typo + ": the chart refuses these values")
        .contains("additional properties 'readonly' not allowed");
  }

  private static String id(String flag) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("id", flag).start();
    String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).isZero();
    return printed.strip();
  }
}
