package io.datapass.cli.submit;

import io.datapass.common.ConfigException;
import io.datapass.common.Secrets;
import io.datapass.transfer.engine.Retrier;
import io.datapass.transfer.engine.RetryPolicy;
import io.datapass.transfer.storage.SourceRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The inputs of {@code --inputs}, one task each: the lines of a file of URIs, or the objects below
 * a {@code gs://} or {@code root://} prefix, listed by the transfer engine.
 */
final class InputList {
  /** One task's input and where it was given (FILE:LINE, or the listed prefix), for errors. */
  record TaskInput(String uri, String origin) {}

  static final Set<String> LISTABLE = Set.of("gs", "root");
  private static final int LIST_RETRIES = 3;

  private InputList() {}

  /** The inputs {@code spec} names: a prefix to list when it is a URL, else a local file. */
  static List<TaskInput> read(String spec, Supplier<SourceRegistry> sources)
      throws ConfigException, IOException {
    return spec.contains("://") ? listed(spec, sources.get()) : fromFile(Path.of(spec));
  }

  /** One input a line ({@link InputLine}); blank lines and comments are skipped. */
  static List<TaskInput> fromFile(Path file) throws ConfigException, IOException {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException(
          "--inputs " + file + ": no such file (a file of URIs, or a gs:// or root:// prefix)");
    }
    List<TaskInput> inputs = new ArrayList<>();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String input = InputLine.checked(lines.get(i), file + ":" + (i + 1) + ": ");
      if (input != null) {
        inputs.add(new TaskInput(input, file + ":" + (i + 1)));
      }
    }
    if (inputs.isEmpty()) {
      throw new ConfigException("--inputs " + file + ": lists no input");
    }
    return inputs;
  }

  /** The objects below {@code prefix}, in the order the storage lists them. */
  static List<TaskInput> listed(String prefix, SourceRegistry sources)
      throws ConfigException, IOException {
    URI uri = InputLine.parse(prefix, "--inputs: ");
    Secrets.hideIn(uri);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!LISTABLE.contains(scheme)) {
      throw new ConfigException(
          "--inputs "
              + prefix
              + ": only gs:// and root:// prefixes are listed; give a file of URIs");
    }
    if (uri.getPath() == null || !uri.getPath().endsWith("/")) {
      throw new ConfigException(
          "--inputs " + prefix + ": a prefix to list ends with '/' (gs://bucket/dir/)");
    }
    List<URI> objects =
        new Retrier(RetryPolicy.standard(LIST_RETRIES))
            .call("listing " + prefix, () -> sources.sourceFor(uri).list(uri));
    return objects.stream()
        .map(URI::toString)
        .filter(o -> !o.endsWith("/"))
        .map(o -> new TaskInput(o, "--inputs " + prefix + ": " + o))
        .toList();
  }
}
