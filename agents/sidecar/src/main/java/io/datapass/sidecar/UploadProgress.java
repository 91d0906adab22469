package io.datapass.sidecar;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How far the outputs are, by target: those with an object stored (and its size, as last stored),
 * those with a version not stored yet (settling, being sent, or failed), and the uploads that
 * failed. This is the pod's {@code datapass.io/progress} annotation; an output uploaded twice
 * counts once.
 */
final class UploadProgress {
  /** The numbers, as the annotation shows them. */
  record Snapshot(int outputsStored, long bytesStored, int outputsPending, long uploadErrors) {
    String json() {
      return "{\"outputsStored\":"
          + outputsStored
          + ",\"bytesStored\":"
          + bytesStored
          + ",\"outputsPending\":"
          + outputsPending
          + ",\"uploadErrors\":"
          + uploadErrors
          + "}";
    }
  }

  private final Map<String, Long> stored = new HashMap<>();
  private final Set<String> pending = new HashSet<>();
  private long errors;

  /** {@code target} has a version not stored yet. */
  synchronized void pending(String target) {
    pending.add(target);
  }

  /** {@code target} is stored in its current version, {@code bytes} long. */
  synchronized void stored(String target, long bytes) {
    pending.remove(target);
    stored.put(target, bytes);
  }

  /** An upload to {@code target} failed; it stays pending. */
  synchronized void failed(String target) {
    errors++;
    pending.add(target);
  }

  /** The file behind {@code target} is gone: nothing left to upload. */
  synchronized void gone(String target) {
    pending.remove(target);
  }

  /** The object at {@code target} is no longer ours (deleted, its file gone). */
  synchronized void dropped(String target) {
    pending.remove(target);
    stored.remove(target);
  }

  /** The annotation's value. */
  String json() {
    return snapshot().json();
  }

  synchronized Snapshot snapshot() {
    long bytes = stored.values().stream().mapToLong(Long::longValue).sum();
    return new Snapshot(stored.size(), bytes, pending.size(), errors);
  }
}
