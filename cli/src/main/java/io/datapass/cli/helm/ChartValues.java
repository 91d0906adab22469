package io.datapass.cli.helm;

import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A release's values as Helm takes them: values files merged in order, then {@code --set} pairs
 * (Helm's own syntax: a comma separates values, {@code \,} keeps one).
 */
public record ChartValues(List<Path> files, List<Map.Entry<String, String>> sets) {
  public ChartValues {
    files = List.copyOf(files);
    sets = List.copyOf(sets);
  }

  TemplateCommand applyTo(TemplateCommand command) {
    for (Path file : files) {
      command = command.withValuesFile(file.toAbsolutePath());
    }
    for (Map.Entry<String, String> set : sets) {
      command = command.set(set.getKey(), set.getValue());
    }
    return command;
  }

  InstallCommand applyTo(InstallCommand command) {
    for (Path file : files) {
      command = command.withValuesFile(file.toAbsolutePath());
    }
    for (Map.Entry<String, String> set : sets) {
      command = command.set(set.getKey(), set.getValue());
    }
    return command;
  }
}
