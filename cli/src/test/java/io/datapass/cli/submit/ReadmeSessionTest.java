package io.datapass.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.cli.Run;
import io.datapass.cli.Run.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's session works as shown: its demo.yaml and runs.txt are a submission. */
class ReadmeSessionTest {
  @TempDir Path home;

  /** The lines the README prints after {@code $ cat FILE}, up to the next prompt. */
  private static List<String> shown(String file) throws Exception {
    List<String> lines = Files.readAllLines(Run.REPOSITORY.resolve("README.md"));
    int start = lines.indexOf("$ cat " + file);
    assertThat(start).as("the README shows " + file).isNotNegative();
    List<String> content = new ArrayList<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("$ ")) {
        break;
      }
      content.add(line);
    }
    return content;
  }

  @Test
  void theSessionsFilesAreASubmissionOfThreeTasks() throws Exception {
    Path demo = Files.write(home.resolve("demo.yaml"), shown("demo.yaml"));
    Path runs = Files.write(home.resolve("runs.txt"), shown("runs.txt"));

    Result dry =
        Run.isolated(home)
            .datapass("submit", demo.toString(), "--inputs", runs.toString(), "--dry-run");

    assertThat(dry.code()).as(dry.toString()).isZero();
    assertThat(dry.err()).contains("3 task(s)");
  }
}
