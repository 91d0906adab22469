package io.datapass.sidecar;

import io.datapass.common.ConfigException;
import io.datapass.transfer.StorageClients;
import io.datapass.transfer.engine.RetryPolicy;
import io.datapass.transfer.engine.Uploader;
import io.datapass.transfer.storage.SinkRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The outputs' side of a run with {@code --upload-to}: the sinks, the upload ledger, the uploads
 * during the run (with {@code --upload-during-run}) and the final round.
 */
final class SidecarOutputs implements AutoCloseable {
  private final SinkRegistry sinks;
  private final UploadLedger ledger;
  private final OutputUploads uploads;
  private final IncrementalUploads duringRun;

  private SidecarOutputs(
      SinkRegistry sinks,
      UploadLedger ledger,
      OutputUploads uploads,
      IncrementalUploads duringRun) {
    this.sinks = sinks;
    this.ledger = ledger;
    this.uploads = uploads;
    this.duringRun = duringRun;
  }

  /** Null without {@code --upload-to}; the uploads during the run, if asked for, are started. */
  static SidecarOutputs open(
      SidecarOptions options,
      Workdir workdir,
      Map<String, String> env,
      SidecarMetrics metrics,
      UploadProgress progress)
      throws IOException, ConfigException {
    if (options.uploadTo() == null) {
      return null;
    }
    UploadLedger ledger =
        options.stateDir() == null
            ? UploadLedger.inMemory()
            : UploadLedger.open(options.stateDir());
    SinkRegistry sinks =
        StorageClients.sinks(
            new StorageClients.Settings(options.gcsEndpoint(), null, options.parallel(), env));
    OutputUploads uploads =
        new OutputUploads(
            new OutputFiles(workdir.output()),
            options.outputPrefix(),
            new Uploader(sinks, RetryPolicy.standard(options.retries())),
            ledger,
            metrics,
            progress,
            options.parallel());
    IncrementalUploads duringRun =
        options.uploadDuringRun()
            ? new IncrementalUploads(
                    uploads, progress, workdir, options.settle(), options.parallel())
                .start()
            : null;
    return new SidecarOutputs(sinks, ledger, uploads, duringRun);
  }

  /**
   * Stops the uploads during the run and waits for those under way, then uploads everything not
   * stored in its final version.
   */
  OutputUploads.Result storeAll() throws InterruptedException {
    if (duringRun != null) {
      duringRun.finish();
    }
    try {
      return uploads.uploadAll();
    } catch (IOException e) {
      return new OutputUploads.Result(
          List.of(), List.of("cannot list the outputs: " + e.getMessage()), false);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (duringRun != null) {
        duringRun.close();
      }
      ledger.close();
    } finally {
      sinks.close();
    }
  }
}
