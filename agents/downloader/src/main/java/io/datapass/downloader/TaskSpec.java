package io.datapass.downloader;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The inputs of one Indexed Job task, added to the manifest's shared inputs. */
record TaskSpec(List<InputSpec> inputs) {

  @JsonCreator
  static TaskSpec of(@JsonProperty(value = "inputs", required = true) List<InputSpec> inputs) {
    return new TaskSpec(inputs == null ? List.of() : List.copyOf(inputs));
  }
}
