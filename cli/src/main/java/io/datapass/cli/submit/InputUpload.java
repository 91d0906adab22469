package io.datapass.cli.submit;

import com.fasterxml.jackson.databind.JsonNode;
import io.datapass.common.ConfigException;
import io.datapass.transfer.engine.RetryPolicy;
import io.datapass.transfer.engine.Uploader;
import io.datapass.transfer.engine.Uploader.UploadResult;
import io.datapass.transfer.storage.ObjectExistsException;
import io.datapass.transfer.storage.SinkRegistry;
import io.datapass.transfer.storage.UploadPrefix;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * Where {@code --input-dir}'s zip goes, {@code <prefix><name>-input.zip} (the task-runner seed's
 * step 4), and its upload: verified, and never replacing other content.
 */
final class InputUpload {
  static final String SUFFIX = "-input.zip";
  private static final int RETRIES = 5;

  private InputUpload() {}

  /**
   * The zip's URL. The prefix is {@code --upload-input-to}, else the directory of the values file's
   * own {@code *-input.zip} input (where the experiment keeps its input zips), else {@code
   * output.uploadTo}.
   */
  static URI target(String flag, ValuesFile values, String name) throws ConfigException {
    URI prefix;
    if (flag != null) {
      prefix = UploadPrefix.parse(flag, "--upload-input-to");
    } else {
      Optional<String> zip =
          values.sharedInputs().stream()
              .map(InputUpload::source)
              .filter(InputUpload::isInputZip)
              .findFirst();
      if (zip.isPresent()) {
        String source = zip.get();
        prefix =
            UploadPrefix.parse(
                source.substring(0, source.lastIndexOf('/') + 1),
                values.path() + ": manifest.inputs " + source);
      } else if (!values.uploadTo().isEmpty()) {
        prefix = UploadPrefix.parse(values.uploadTo(), values.path() + ": output.uploadTo");
      } else {
        throw new ConfigException(
            "--input-dir needs --upload-input-to PREFIX: "
                + values.path()
                + " has no *-input.zip input and no output.uploadTo");
      }
    }
    String scheme = prefix.getScheme();
    if (!scheme.equals("gs") && !scheme.equals("root")) {
      throw new ConfigException(
          "--input-dir uploads to gs:// or root:// only, where every pod can fetch it; got "
              + prefix);
    }
    return UploadPrefix.under(prefix, name + SUFFIX);
  }

  /** An input the uploaded zip takes the place of: an earlier submission's input zip. */
  static boolean isInputZip(String source) {
    return source.endsWith(SUFFIX);
  }

  static String source(JsonNode input) {
    return input.path("source").asText();
  }

  /** Uploads the zip; a zip of other content already there is a usage error, left as it is. */
  static UploadResult upload(InputArchive archive, URI target, SinkRegistry sinks)
      throws ConfigException, IOException {
    try {
      return new Uploader(sinks, RetryPolicy.standard(RETRIES))
          .upload(archive.zip(), target, false);
    } catch (ObjectExistsException e) {
      throw new ConfigException(e.getMessage() + ": choose another --name");
    }
  }
}
