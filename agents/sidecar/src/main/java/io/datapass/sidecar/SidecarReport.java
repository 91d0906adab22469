package io.datapass.sidecar;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The JSON summary printed on stdout when the sidecar ends.
 *
 * @param status "ok" when the final state was reported and every output stored, else "failed"
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
    double seconds) {}
