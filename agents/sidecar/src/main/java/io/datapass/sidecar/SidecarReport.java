package io.datapass.sidecar;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.common.ExitCode;
import java.util.List;

/**
 * The JSON summary printed on stdout when the sidecar ends.
 *
 * @param status "ok" when the final state was reported and every output stored; "refused" when a
 *     rerun cannot help (a usage or manifest error of the inputs, another object under an output's
 *     name); else "failed"
 * @param state the final state reported: DONE, ERROR or KILLED
 * @param states every state reported, in order
 * @param inputs the download's own summary when the sidecar fetched the inputs
 * @param reported false when a reporter could not deliver every transition (the log says which)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SidecarReport(
    String status,
    String job,
    String task,
    String pod,
    String state,
    String detail,
    Integer payloadExitCode,
    List<String> states,
    JsonNode inputs,
    List<OutputUploads.Stored> outputs,
    List<String> failures,
    boolean reported,
    double seconds) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The sidecar's own exit code: 0 ok, 2 refused (not worth a retry), 1 failed. */
  int exitCode() {
    return switch (status) {
      case "ok" -> ExitCode.OK;
      case "refused" -> ExitCode.USAGE;
      default -> ExitCode.WORK_FAILED;
    };
  }

  String toJson() throws JsonProcessingException {
    return JSON.writeValueAsString(this);
  }

  /** The JSON result of a run that could not go on (a failure before any state was reported). */
  static String failedJson(SidecarOptions options, Exception failure)
      throws JsonProcessingException {
    boolean usage = failure instanceof io.datapass.common.ConfigException;
    java.util.Map<String, Object> result = new java.util.LinkedHashMap<>();
    result.put("status", usage ? "refused" : "failed");
    result.put("job", options.job());
    result.put("task", options.task());
    result.put("pod", options.pod());
    result.put("exitCode", usage ? ExitCode.USAGE : ExitCode.WORK_FAILED);
    result.put("error", io.datapass.common.AgentMain.oneLine(failure));
    return JSON.writeValueAsString(result);
  }

  /** The download role's own JSON summary, when the sidecar ran it. */
  static JsonNode downloadSummary(Inputs inputs) {
    Inputs.Download download = inputs.download();
    if (download == null || download.summary().isEmpty()) {
      return null;
    }
    try {
      return JSON.readTree(download.summary());
    } catch (JsonProcessingException e) {
      return JSON.getNodeFactory().textNode(download.summary());
    }
  }
}
