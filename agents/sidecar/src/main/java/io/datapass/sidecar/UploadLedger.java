package io.datapass.sidecar;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datapass.common.ConfigException;
import io.datapass.transfer.checksum.Checksum;
import io.datapass.transfer.storage.ExistingObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sidecar stored, by target: the version of the local file it sent (size, modification
 * time) and the object it stored (size, checksum, generation). Only an object recorded here is the
 * sidecar's own, which it may replace. With a directory, each record is one JSON line appended to
 * {@value #FILE} there, so that a restarted sidecar resumes from it; the directory is one the
 * payload cannot write (the workdir is refused), so no record can be forged.
 *
 * <p>A {@code sending} record comes before each upload, a {@code stored} one (flushed to disk)
 * after it. After a crash between the object's appearing and its record, the restarted sidecar
 * finds the file's bytes stored under a name it was sending, and takes the object as its own; a
 * file changed meanwhile cannot be told from someone else's object and is refused.
 */
final class UploadLedger implements AutoCloseable {
  static final String FILE = "upload-ledger.jsonl";
  private static final Logger log = LoggerFactory.getLogger(UploadLedger.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What was stored at a target: the local file as it was sent, and the object. */
  record Entry(FileVersion local, ExistingObject stored) {}

  /** One line of the file. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Line(
      String target,
      String event,
      long size,
      long mtime,
      Long bytes,
      String checksum,
      Long generation) {}

  private static final String SENDING = "sending";
  private static final String STORED = "stored";
  private static final String FOUND = "found"; // the same bytes stored by someone else: not ours
  private static final String DROPPED = "dropped"; // deleted, or replaced by someone else

  private final FileChannel file;
  private final Map<String, Entry> own = new HashMap<>();
  private final Set<String> sending = new HashSet<>();

  private UploadLedger(FileChannel file) {
    this.file = file;
  }

  /** A ledger kept in memory only: a restarted sidecar looks at each target again. */
  static UploadLedger inMemory() {
    return new UploadLedger(null);
  }

  /** The ledger in {@code dir}, with what an earlier run of the sidecar recorded there. */
  static UploadLedger open(Path dir) throws ConfigException, IOException {
    Path path = dir.resolve(FILE);
    try {
      Files.createDirectories(dir);
      UploadLedger ledger =
          new UploadLedger(
              FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
      byte[] earlier = Files.readAllBytes(path);
      if (earlier.length > 0) {
        if (earlier[earlier.length - 1] != '\n') {
          ledger.file.write(ByteBuffer.wrap(new byte[] {'\n'})); // ends a line a crash cut
        }
        ledger.load(new String(earlier, StandardCharsets.UTF_8).lines().toList());
        log.info("{}: {} uploads recorded by an earlier run", path, ledger.own.size());
      }
      return ledger;
    } catch (FileSystemException e) {
      throw new ConfigException("--state-dir " + dir + " cannot be written: " + e.getMessage());
    }
  }

  private void load(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      Line line;
      try {
        line = JSON.readValue(lines.get(i), Line.class);
        apply(line);
      } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
        // the last line may be cut by a crash; an unreadable record is an upload not recorded
        log.warn("upload ledger line {} unreadable, ignored: {}", i + 1, e.getMessage());
      }
    }
  }

  private void apply(Line line) {
    switch (line.event()) {
      case SENDING -> sending.add(line.target());
      case FOUND -> sending.remove(line.target());
      case DROPPED -> own.remove(line.target());
      case STORED -> {
        sending.remove(line.target());
        own.put(
            line.target(),
            new Entry(
                new FileVersion(line.size(), line.mtime()),
                new ExistingObject(
                    line.bytes(), Checksum.parse(line.checksum()), line.generation())));
      }
      default -> throw new IllegalArgumentException("unknown event " + line.event());
    }
  }

  /** The object this sidecar stored at {@code target}, or null. */
  synchronized Entry own(String target) {
    return own.get(target);
  }

  /** Every target with an object of ours, and what it holds. */
  synchronized Map<String, Entry> owned() {
    return Map.copyOf(own);
  }

  /**
   * Whether an upload to {@code target} began and was never recorded as stored: an object there
   * holding the file's bytes is then this sidecar's.
   */
  synchronized boolean wasSending(String target) {
    return sending.contains(target);
  }

  /**
   * An upload of {@code local} to {@code target} begins. Not flushed: written, it survives the
   * sidecar's crash, and the flush of the next stored record takes it to disk first.
   */
  synchronized void sending(String target, FileVersion local) throws IOException {
    append(new Line(target, SENDING, local.size(), local.mtime(), null, null, null), false);
    sending.add(target);
  }

  /** {@code local} is stored at {@code target} as {@code stored}; on disk when this returns. */
  synchronized void stored(String target, FileVersion local, ExistingObject stored)
      throws IOException {
    append(
        new Line(
            target,
            STORED,
            local.size(),
            local.mtime(),
            stored.bytes(),
            stored.checksum().toString(),
            stored.generation()),
        true);
    sending.remove(target);
    own.put(target, new Entry(local, stored));
  }

  /** The same bytes were found at {@code target}, stored by someone else: not ours to replace. */
  synchronized void found(String target, FileVersion local) throws IOException {
    append(new Line(target, FOUND, local.size(), local.mtime(), null, null, null), false);
    sending.remove(target);
  }

  /** {@code target} holds no object of ours any more (deleted, or replaced by someone else). */
  synchronized void dropped(String target) throws IOException {
    append(new Line(target, DROPPED, 0, 0, null, null, null), true);
    own.remove(target);
  }

  private void append(Line line, boolean flush) throws IOException {
    if (file == null) {
      return;
    }
    ByteBuffer bytes =
        ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      file.write(bytes);
    }
    if (flush) {
      file.force(false);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (file != null) {
      file.close();
    }
  }
}
