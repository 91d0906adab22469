package io.datapass.sidecar;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What was uploaded and verified, one JSON line per upload in {@code /workdir/uploads.jsonl},
 * appended only after the storage confirmed it. The workdir outlives a sidecar restart, so a
 * restarted sidecar skips files whose size and modification time are those recorded for the same
 * target, and uploads the others: no duplicates, no gaps. A file rewritten after its upload no
 * longer matches and is uploaded again. A line cut short by a kill is ignored.
 */
final class UploadLedger {
  private static final Logger log = LoggerFactory.getLogger(UploadLedger.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One verified upload: the file's path under {@code output/} and its state when it was read. */
  record Entry(String file, long bytes, String modified, String target, String checksum) {}

  private final Path path;
  private final Map<String, Entry> latest = new HashMap<>();

  private UploadLedger(Path path) {
    this.path = path;
  }

  static UploadLedger open(Path path) throws IOException {
    UploadLedger ledger = new UploadLedger(path);
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return ledger;
    }
    for (String line : lines) {
      try {
        Entry entry = JSON.readValue(line, Entry.class);
        ledger.latest.put(entry.file(), entry);
      } catch (IOException e) {
        log.warn("{}: ignoring a line that is not a whole entry: {}", path, line);
      }
    }
    log.info("{}: {} files uploaded by an earlier run of the sidecar", path, ledger.latest.size());
    return ledger;
  }

  /**
   * The entry recording this exact file (name, size, modification time) stored at {@code target},
   * or null.
   */
  synchronized Entry find(String file, long bytes, String modified, String target) {
    Entry entry = latest.get(file);
    return entry != null
            && entry.bytes() == bytes
            && entry.modified().equals(modified)
            && entry.target().equals(target)
        ? entry
        : null;
  }

  /**
   * True when this sidecar stored an earlier version of {@code file} at {@code target}: that one it
   * may replace.
   */
  synchronized boolean storedBefore(String file, String target) {
    Entry entry = latest.get(file);
    return entry != null && entry.target().equals(target);
  }

  synchronized void record(Entry entry) throws IOException {
    Files.writeString(
        path,
        JSON.writeValueAsString(entry) + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    latest.put(entry.file(), entry);
  }
}
