package io.datapass.downloader;

import io.datapass.common.ConfigException;
import io.datapass.transfer.storage.Locations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Chooses the inputs of this task and where each goes under the input directory. */
final class InputPlan {
  private InputPlan() {}

  /**
   * @param taskIndex this pod's Indexed Job index, or null
   */
  static List<PlannedInput> resolve(Manifest manifest, Integer taskIndex, Path dest)
      throws ConfigException {
    List<PlannedInput> planned = new ArrayList<>();
    for (int i = 0; i < manifest.inputs().size(); i++) {
      planned.add(place("inputs[" + i + "]", manifest.inputs().get(i), dest));
    }
    if (!manifest.tasks().isEmpty()) {
      int index = chooseTask(manifest, taskIndex);
      List<InputSpec> taskInputs = manifest.tasks().get(index).inputs();
      for (int i = 0; i < taskInputs.size(); i++) {
        planned.add(place("tasks[" + index + "].inputs[" + i + "]", taskInputs.get(i), dest));
      }
    }
    rejectDuplicateTargets(planned);
    return planned;
  }

  private static int chooseTask(Manifest manifest, Integer taskIndex) throws ConfigException {
    int tasks = manifest.tasks().size();
    if (taskIndex == null) {
      if (tasks == 1) {
        return 0;
      }
      throw new ConfigException(
          "the manifest has "
              + tasks
              + " tasks: set --task-index or JOB_COMPLETION_INDEX to choose one");
    }
    if (taskIndex < 0 || taskIndex >= tasks) {
      throw new ConfigException(
          "task index "
              + taskIndex
              + " is out of range: the manifest has "
              + tasks
              + " tasks (0.."
              + (tasks - 1)
              + ")");
    }
    return taskIndex;
  }

  private static PlannedInput place(String field, InputSpec input, Path dest)
      throws ConfigException {
    String target = input.target();
    boolean fileTarget = !input.unpack() && !Locations.isDirectory(input.source());
    if (target == null) {
      target = fileTarget ? baseName(field, input) : ".";
    } else if (fileTarget && target.endsWith("/")) {
      target = target + baseName(field, input); // as "cp x sub/": a directory to put it in
    }
    Path relative = Path.of(target);
    Path resolved = dest.resolve(relative).normalize();
    if (relative.isAbsolute() || !resolved.startsWith(dest)) {
      throw new ConfigException(
          field + ".target '" + target + "' must stay inside the input directory " + dest);
    }
    if (fileTarget && resolved.equals(dest)) {
      throw new ConfigException(
          field + ".target '" + target + "' must name a file, not the input directory");
    }
    return new PlannedInput(field, input.source(), resolved, input.checksum(), input.unpack());
  }

  private static String baseName(String field, InputSpec input) throws ConfigException {
    try {
      return Locations.baseName(input.source());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(field + ".source: " + e.getMessage());
    }
  }

  private static void rejectDuplicateTargets(List<PlannedInput> planned) throws ConfigException {
    Map<Path, String> seen = new HashMap<>();
    for (PlannedInput input : planned) {
      if (input.unpack() || input.isDirectory()) {
        continue; // several archives may fill one directory
      }
      String earlier = seen.putIfAbsent(input.target(), input.field());
      if (earlier != null) {
        throw new ConfigException(
            input.field() + " and " + earlier + " both write " + input.target());
      }
    }
  }
}
