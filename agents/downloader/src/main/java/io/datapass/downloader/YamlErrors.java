package io.datapass.downloader;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML syntax error as one line with one line number: the parser's own text spans several lines
 * and marks a context line besides the problem's, which read as a contradiction.
 */
final class YamlErrors {
  private static final Pattern MARK =
      Pattern.compile("^\\s*in '[^']*', line (\\d+), column (\\d+):?");

  private YamlErrors() {}

  static String oneLine(String file, JsonProcessingException e) {
    String[] lines = e.getOriginalMessage().split("\n");
    String problem = lines[0].strip();
    String where = "";
    // The problem is the line before the last position mark, which is where it was found.
    for (int i = lines.length - 1; i >= 0; i--) {
      Matcher mark = MARK.matcher(lines[i]);
      if (mark.find()) {
        where = " (line " + mark.group(1) + ", column " + mark.group(2) + ")";
        problem = i > 0 ? lines[i - 1].strip() : problem;
        break;
      }
    }
    if (where.isEmpty() && e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      where = " (line " + e.getLocation().getLineNr() + ")";
    }
    if (problem.contains("\\t(TAB)") || problem.contains("\t")) {
      problem = "a TAB indents this line; YAML indents with spaces";
    }
    return file + where + ": not valid YAML: " + problem;
  }
}
