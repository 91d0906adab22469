// Uploads one local file to a root:// URL through datapass's own upload path (Uploader -> XrootdSink ->
// XrootdClient), as bench/xrootd measures it. Run with Java's single-file source launcher:
//
//   java $OPTS -cp "agents/downloader/target/lib/*:agents/downloader/target/downloader.jar" \
//     bench/lib/XrootdUpload.java LOCAL_FILE root://HOST:PORT//path/name
//
// Prints one JSON line on stdout: bytes, the checksum the server confirmed, "seconds" (the upload itself, from
// Uploader's result), "jvm_seconds" (main() start to end, i.e. without the launcher's compile and JVM start-up)
// and "uptime_seconds" (JVM start to end, compile included). Exit 1 on failure.
//
// Chunk and window are the sink's production values (8 MiB x 4), the same as the downloader's XrootdSource;
// XROOTD_UPLOAD_CHUNK_MIB and XROOTD_UPLOAD_WINDOW override them for experiments.

import io.datapass.transfer.RetryPolicy;
import io.datapass.transfer.Uploader;
import io.datapass.transfer.source.SinkRegistry;
import io.datapass.transfer.source.XrootdSink;
import io.datapass.xrootd.XrootdClient;
import io.datapass.xrootd.XrootdSettings;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

public final class XrootdUpload {
  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    if (args.length != 2) {
      System.err.println("usage: XrootdUpload LOCAL_FILE root://HOST:PORT//path");
      System.exit(2);
    }
    int chunk = Integer.parseInt(System.getenv().getOrDefault("XROOTD_UPLOAD_CHUNK_MIB", "8")) << 20;
    int window = Integer.parseInt(System.getenv().getOrDefault("XROOTD_UPLOAD_WINDOW", "4"));
    try (XrootdClient client = new XrootdClient(XrootdSettings.defaults())) {
      Uploader uploader = new Uploader(
          new SinkRegistry().register("root", () -> new XrootdSink(client, chunk, window)),
          RetryPolicy.standard(0));
      Uploader.UploadResult result = uploader.upload(Path.of(args[0]), URI.create(args[1]));
      double inJvm = (System.nanoTime() - started) / 1e9;
      double uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
      System.out.println(String.format(Locale.ROOT,
          "{\"target\":\"%s\",\"bytes\":%d,\"checksum\":\"%s\",\"seconds\":%.3f,\"jvm_seconds\":%.3f,"
              + "\"uptime_seconds\":%.3f,\"attempts\":%d}",
          result.target(), result.bytes(), result.checksum(), result.elapsed().toNanos() / 1e9, inJvm, uptime,
          result.attempts()));
    } catch (Exception e) {
      System.err.println("upload failed: " + e);
      System.exit(1);
    }
  }
}
