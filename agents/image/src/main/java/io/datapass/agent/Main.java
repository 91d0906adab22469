package io.datapass.agent;

import io.datapass.common.AgentMain;
import io.datapass.common.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The entrypoint of the one agent image, datapass/agent: the first argument names the role, the
 * rest go to that role's own Main, whose exit code this returns. A missing or unknown role is a
 * usage error (2).
 */
public final class Main {
  /** One line per role. */
  private static final List<Role> ROLES =
      List.of(
          new Role(
              "download",
              "init container: fetch, verify and unpack a job's inputs, then write the ready file",
              io.datapass.downloader.Main::run),
          new Role(
              "sidecar",
              "native sidecar: the /workdir protocol, state reports, probes, verified output uploads",
              io.datapass.sidecar.Main::run),
          new Role(
              "cleanup",
              "after the payload: upload its outputs verified, then remove what the job no longer needs",
              io.datapass.cleanup.Main::run));

  private Main() {}

  public static void main(String[] args) {
    AgentMain.main(Main::run, args);
  }

  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    String name = args.length == 0 ? "" : args[0];
    switch (name) {
      case "--help", "-h", "help" -> {
        out.print(usage());
        return ExitCode.OK;
      }
      case "version", "--version" -> {
        out.println("datapass agent " + version());
        return ExitCode.OK;
      }
      default -> {
        for (Role role : ROLES) {
          if (role.name().equals(name)) {
            return role.command().run(Arrays.copyOfRange(args, 1, args.length), out, err, env);
          }
        }
        err.println(
            name.isEmpty()
                ? "datapass agent: no role given"
                : "datapass agent: unknown role '" + name + "'");
        err.print(usage());
        return ExitCode.USAGE;
      }
    }
  }

  static String usage() {
    StringBuilder text =
        new StringBuilder("usage: ROLE [ARGUMENTS...]   (ROLE --help: the role's own options)\n");
    for (Role role : ROLES) {
      text.append(String.format("  %-10s %s%n", role.name(), role.summary()));
    }
    text.append(String.format("  %-10s %s%n", "version", "print this image's version"));
    return text.append(
            "Exit codes: 0 done, 1 the work failed (retry), 2 usage or configuration error.\n")
        .toString();
  }

  static String version() {
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
