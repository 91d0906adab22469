package io.datapass.cli.user;

import io.datapass.cli.Invocation;
import io.datapass.cli.submit.ValuesFile;
import io.datapass.common.ConfigException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What names one user's pod, for start, stop and status alike: the values file and the user. */
public final class UserOptions {
  @Parameters(
      index = "0",
      paramLabel = "VALUES",
      description = "The tool's values file for charts/user-pod (values/savu.yaml).")
  Path values;

  @Option(
      names = "--name",
      paramLabel = "USER",
      description = "Whose pod, any string (default: $USER).")
  String user;

  /** The pod this invocation means; the values file must not name the objects itself. */
  UserPod.Identity identify(Invocation invocation) throws ConfigException {
    ValuesFile file = ValuesFile.load(values);
    if (!file.text("fullnameOverride").isEmpty()) {
      throw new ConfigException(
          values + ": fullnameOverride: datapass names each user's pod itself; remove it");
    }
    String name = user != null ? user : invocation.env("USER");
    if (name == null || name.isBlank()) {
      throw new ConfigException("whose pod? give --name USER ($USER is not set)");
    }
    String experiment = file.text("experiment");
    return new UserPod.Identity(values, experiment, name, UserPodName.of(experiment, name));
  }
}
