package io.datapass.sidecar;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The sidecar's counters and gauges in the Prometheus text format (version 0.0.4), for {@code
 * /metrics}.
 */
final class SidecarMetrics {
  private final AtomicLong uploadedBytes = new AtomicLong();
  private final AtomicLong uploadedFiles = new AtomicLong();
  private final AtomicLong uploadErrors = new AtomicLong();
  private final Supplier<String> state;
  private final BooleanSupplier healthy;
  private final CgroupStats cgroup;

  SidecarMetrics(Supplier<String> state, BooleanSupplier healthy, CgroupStats cgroup) {
    this.state = state;
    this.healthy = healthy;
    this.cgroup = cgroup;
  }

  void uploaded(long bytes) {
    uploadedBytes.addAndGet(bytes);
    uploadedFiles.incrementAndGet();
  }

  void uploadFailed() {
    uploadErrors.incrementAndGet();
  }

  long uploadedBytes() {
    return uploadedBytes.get();
  }

  String render() {
    StringBuilder text = new StringBuilder(1024);
    String current = state.get();
    metric(
        text,
        "datapass_sidecar_state",
        "gauge",
        "The pod's state as last reported (1 for the current one).",
        current == null ? null : "{state=\"" + escape(current) + "\"} 1");
    metric(
        text,
        "datapass_sidecar_payload_healthy",
        "gauge",
        "0 while the payload is overdue refreshing /workdir/healthy, else 1.",
        " " + (healthy.getAsBoolean() ? 1 : 0));
    metric(
        text,
        "datapass_sidecar_uploaded_bytes_total",
        "counter",
        "Bytes of outputs uploaded and verified.",
        " " + uploadedBytes.get());
    metric(
        text,
        "datapass_sidecar_uploaded_files_total",
        "counter",
        "Output files uploaded and verified.",
        " " + uploadedFiles.get());
    metric(
        text,
        "datapass_sidecar_upload_errors_total",
        "counter",
        "Output files whose upload failed.",
        " " + uploadErrors.get());
    CgroupStats.Sample sample = cgroup.read();
    metric(
        text,
        "datapass_container_cpu_seconds_total",
        "counter",
        "CPU time used by the sidecar's container (cgroup " + sample.version() + ").",
        sample.cpuSeconds() == null ? null : " " + sample.cpuSeconds());
    metric(
        text,
        "datapass_container_memory_bytes",
        "gauge",
        "Memory used by the sidecar's container, page cache included (cgroup "
            + sample.version()
            + ").",
        sample.memoryBytes() == null ? null : " " + sample.memoryBytes());
    metric(
        text,
        "datapass_container_memory_limit_bytes",
        "gauge",
        "The container's memory limit.",
        sample.memoryLimitBytes() == null ? null : " " + sample.memoryLimitBytes());
    return text.toString();
  }

  /** One metric with its HELP and TYPE lines; left out entirely when there is no sample. */
  private static void metric(
      StringBuilder text, String name, String type, String help, String sample) {
    if (sample == null) {
      return;
    }
    text.append("# HELP ").append(name).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    text.append(name).append(sample).append('\n');
  }

  /** A label value: backslash, double quote and newline escaped, as the text format asks. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
