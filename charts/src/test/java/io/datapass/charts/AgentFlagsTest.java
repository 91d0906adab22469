package io.datapass.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The charts render only flags the agents have: each one is looked up in its role's --help. */
@DisplayName("charts: the agents' flags")
class AgentFlagsTest {
  @Test
  void everyFlagRenderedForAnAgentIsOneItsRoleKnows() {
    Set<String> checked = new TreeSet<>();
    for (Values values :
        List.of(
            Values.everything("x"),
            Values.everything("x")
                .with("download.by", "sidecar")
                .with("cleanup.mode", "tree")
                .with("sidecar.uploadDuringRun", true))) {
      Rendered rendered = Helm.batchJob("job-42", values);
      for (JsonNode pod : rendered.podSpecs()) {
        for (JsonNode container : SecurityContextTest.containers(pod)) {
          if (!container.path("image").asText().startsWith("datapass/agent:")) {
            continue;
          }
          List<String> args = Rendered.strings(container.path("args"));
          String role = args.get(0);
          String help = help(role);
          for (String flag : args.stream().filter(a -> a.startsWith("--")).toList()) {
            assertThat(Pattern.compile(Pattern.quote(flag) + "(?![-\\w])").matcher(help).find())
                .as(
                    "%s %s (rendered for container %s)",
                    role, flag, container.path("name").asText())
                .isTrue();
            checked.add(role + " " + flag);
          }
        }
      }
    }
    // the loop saw every role and their flags: it cannot pass by looking at nothing
    assertThat(checked)
        .contains(
            "sidecar --upload-to",
            "sidecar --manifest",
            "sidecar --report-to-pod",
            "sidecar --backend-token-file",
            "sidecar --upload-during-run",
            "sidecar --settle-seconds",
            "sidecar --state-dir",
            "download --manifest",
            "download --gcs-endpoint",
            "cleanup --delete",
            "cleanup --wait-for-job",
            "cleanup --remove");
  }

  @Test
  void theLookUpFindsAFlagNoRoleHas() {
    assertThat(help("sidecar")).contains("--grace-seconds").doesNotContain("--no-such-flag");
  }

  /** What {@code ROLE --help} prints, from the role's own code. */
  static String help(String role) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    String[] args = {"--help"};
    int code =
        switch (role) {
          case "sidecar" -> io.datapass.sidecar.Main.run(args, stream, stream, Map.of());
          case "download" -> io.datapass.downloader.Main.run(args, stream, stream, Map.of());
          case "cleanup" -> io.datapass.cleanup.Main.run(args, stream, stream, Map.of());
          default -> throw new AssertionError("no role " + role);
        };
    assertThat(code).as(role + " --help").isZero();
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
