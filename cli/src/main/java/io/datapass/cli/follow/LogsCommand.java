package io.datapass.cli.follow;

import io.datapass.cli.Cluster;
import io.datapass.cli.ClusterOptions;
import io.datapass.cli.DatapassCommand;
import io.datapass.cli.Invocation;
import io.datapass.common.ConfigException;
import io.datapass.common.ExitCode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code datapass logs NAME}: a container's log from each task's latest pod. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a container's log from the latest pod of each task (or of one task), or from the"
          + " cleanup Job's pod."
    },
    footerHeading = "%n",
    footer = DatapassCommand.EXIT_CODES)
public final class LogsCommand implements Callable<Integer> {
  /** The containers of a submission's pods. */
  enum Container {
    payload,
    sidecar,
    download,
    cleanup
  }

  private final Invocation invocation;

  @Parameters(index = "0", paramLabel = "NAME", description = "The submission's name.")
  String name;

  @Option(names = "--task", paramLabel = "N", description = "Only this task (Job index).")
  Integer task;

  @Option(
      names = "--container",
      paramLabel = "CONTAINER",
      defaultValue = "payload",
      description =
          "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; cleanup: the cleanup Job's).")
  Container container;

  @Option(names = "--tail", paramLabel = "LINES", description = "Only the last LINES lines.")
  Integer tail;

  @Mixin ClusterOptions cluster;

  public LogsCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws Exception {
    if (task != null && task < 0) {
      throw new ConfigException("--task must be 0 or more, got " + task);
    }
    if (tail != null && tail < 1) {
      throw new ConfigException("--tail must be at least 1, got " + tail);
    }
    try (Cluster target = cluster.connect(invocation)) {
      List<Pod> pods = pods(target);
      if (pods.isEmpty()) {
        return ExitCode.WORK_FAILED; // pods() said why
      }
      int shown = 0;
      for (Pod pod : pods) {
        String podName = pod.getMetadata().getName();
        if (pods.size() > 1) {
          invocation.out().println("==> task " + Tasks.index(pod) + ", pod " + podName + " <==");
        }
        PodResource resource =
            target.client().pods().inNamespace(target.namespace()).withName(podName);
        try {
          String log =
              tail == null
                  ? resource.inContainer(container.name()).getLog()
                  : resource.inContainer(container.name()).tailingLines(tail).getLog();
          invocation.out().print(log);
          shown++;
        } catch (KubernetesClientException e) {
          invocation
              .err()
              .println(
                  "datapass logs: pod " + podName + ", container " + container + ": " + reason(e));
        }
      }
      return shown > 0 ? ExitCode.OK : ExitCode.WORK_FAILED;
    }
  }

  /**
   * The latest pod of each task (or of --task), or the cleanup Job's latest pod; none, when it said
   * on stderr why.
   */
  private List<Pod> pods(Cluster target) throws ConfigException {
    if (container == Container.cleanup) {
      List<Pod> cleanup =
          target
              .client()
              .pods()
              .inNamespace(target.namespace())
              .withLabel(Submission.LABEL, name)
              .withLabel(Submission.COMPONENT, "cleanup")
              .list()
              .getItems()
              .stream()
              .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()))
              .map(List::of)
              .orElse(List.of());
      if (cleanup.isEmpty()) {
        invocation
            .err()
            .println(
                "datapass logs: "
                    + name
                    + " has no cleanup pod in namespace "
                    + target.namespace());
      }
      return cleanup;
    }
    Submission submission = Submission.read(target.client(), target.namespace(), name);
    if (!submission.exists()) {
      invocation.err().println("datapass logs: " + NotFound.message(name, target.namespace()));
      return List.of();
    }
    List<Pod> latest = new ArrayList<>();
    for (TaskStatus status : Tasks.of(submission)) {
      if (task != null && status.index() != task) {
        continue;
      }
      submission.pods().stream()
          .filter(p -> p.getMetadata().getName().equals(status.pod()))
          .forEach(latest::add);
    }
    if (task != null && latest.isEmpty()) {
      int tasks = Tasks.of(submission).size();
      if (task < 0 || task >= tasks) {
        throw new ConfigException(
            "--task " + task + ": " + name + " has tasks 0 to " + (tasks - 1));
      }
      invocation.err().println("datapass logs: task " + task + " has no pod yet");
    }
    return latest;
  }

  private static String reason(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage()
        : e.getMessage();
  }
}
