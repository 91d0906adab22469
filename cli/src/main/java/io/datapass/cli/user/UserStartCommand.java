package io.datapass.cli.user;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.datapass.cli.Cluster;
import io.datapass.cli.ClusterOptions;
import io.datapass.cli.DatapassCommand;
import io.datapass.cli.Invocation;
import io.datapass.cli.TemporaryDirectory;
import io.datapass.cli.helm.ChartValues;
import io.datapass.cli.helm.Charts;
import io.datapass.cli.helm.Releases;
import io.datapass.cli.helm.StagedChart;
import io.datapass.cli.submit.SetFlags;
import io.datapass.common.ConfigException;
import io.datapass.common.ExitCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code datapass user start VALUES}: one release of the user-pod chart, waited for. */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a user's pod: a release of the user-pod chart named <experiment>-<user> (a DNS"
          + " label), every container running as the user's uid and gid; waits until the pod is"
          + " ready and prints how to reach its Service. One pod per user and tool: a second"
          + " start is refused (exit 2)."
    },
    footerHeading = "%n",
    footer = DatapassCommand.EXIT_CODES)
public final class UserStartCommand implements Callable<Integer> {
  private static final YAMLMapper YAML = new YAMLMapper();

  private final Invocation invocation;

  @Mixin UserOptions user;

  @Option(
      names = "--uid",
      paramLabel = "N",
      description = "The uid the containers run as (default: yours, as id -u prints); never 0.")
  Long uid;

  @Option(
      names = "--gid",
      paramLabel = "N",
      description = "The gid they run as and the volumes' group (default: yours, as id -g prints).")
  Long gid;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "A value over the values file, as helm --set (repeatable).")
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "300",
      description =
          "How long to wait for the pod to be ready (default: ${DEFAULT-VALUE}); then exit 1,"
              + " the pod left to be looked at.")
  long timeout;

  @Option(names = "--dry-run", description = "Prints the manifests Helm renders; installs nothing.")
  boolean dryRun;

  @Option(
      names = "--charts",
      paramLabel = "DIR",
      description = "The datapass charts (default: $DATAPASS_CHARTS, else the checkout's charts/).")
  Path charts;

  @Mixin ClusterOptions cluster;

  public UserStartCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws Exception {
    if (timeout < 1) {
      throw new ConfigException("--timeout must be at least 1 second, got " + timeout);
    }
    UserPod.Identity who = user.identify(invocation);
    Caller caller = Caller.current();
    long runAs = checkedUid(uid == null ? caller.uid() : uid, uid == null);
    long group = checkedGid(gid == null ? caller.gid() : gid);
    try (TemporaryDirectory scratch = TemporaryDirectory.create("datapass-user-");
        StagedChart chart =
            Charts.locate(charts, invocation.env(Charts.ENV)).stage(Charts.USER_POD)) {
      ObjectNode overrides = YAML.createObjectNode();
      overrides.putObject("user").put("name", who.user()).put("uid", runAs).put("gid", group);
      Path file = scratch.resolve("datapass-user.yaml");
      YAML.writeValue(file.toFile(), overrides);
      ChartValues values = new ChartValues(List.of(who.values(), file), SetFlags.parse(sets));
      if (dryRun) {
        String manifests = render(chart, who, cluster.namespaceOffline(invocation), values);
        invocation.out().print(manifests.endsWith("\n") ? manifests : manifests + "\n");
        invocation
            .err()
            .println(
                "dry run: "
                    + who.name()
                    + " for "
                    + who.user()
                    + " (uid "
                    + runAs
                    + ", gid "
                    + group
                    + "); nothing installed");
        return ExitCode.OK;
      }
      try (Cluster target = cluster.connect(invocation)) {
        // rendered first: values the chart refuses stop here, before anything is created
        render(chart, who, target.namespace(), values);
        refuseASecondPod(target, who);
        target.releases().install(chart, who.name(), values);
        invocation.err().println("Installed " + who.name() + "; waiting for its pod to be ready");
        return new ReadyWait(target, who, invocation).await(timeout);
      }
    }
  }

  private void refuseASecondPod(Cluster target, UserPod.Identity who) throws ConfigException {
    boolean released = target.releases().find(who.name()).isPresent();
    UserPod existing = UserPod.read(target.client(), target.namespace(), who.name());
    if (released || existing.exists()) {
      throw new ConfigException(
          who.user()
              + " has a pod already: "
              + who.name()
              + " in namespace "
              + target.namespace()
              + " ("
              + existing.state()
              + "); stop it first: "
              + who.command("stop", target.namespace()));
    }
  }

  private String render(StagedChart chart, UserPod.Identity who, String namespace, ChartValues with)
      throws ConfigException {
    try {
      return Releases.template(chart, who.name(), namespace, with);
    } catch (ConfigException e) {
      throw new ConfigException(who.values() + ": " + e.getMessage());
    }
  }

  private static long checkedUid(long value, boolean yours) throws ConfigException {
    if (value == 0) {
      throw new ConfigException(
          (yours ? "you run as root (uid 0)" : "--uid 0")
              + ": a user's pod never runs as root (the \"restricted\" Pod Security Standard);"
              + " give --uid N --gid N");
    }
    if (value < 0) {
      throw new ConfigException("--uid must be a positive number, got " + value);
    }
    return value;
  }

  private static long checkedGid(long value) throws ConfigException {
    if (value < 0) {
      throw new ConfigException("--gid must be 0 or more, got " + value);
    }
    return value;
  }
}
