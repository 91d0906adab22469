package io.datapass.transfer.storage;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Direct buffers kept for reuse, in power-of-two sizes from 64 KiB: allocating (and zeroing) a
 * fresh one for every file costs more than reading a small file. Keeps at most {@code keepAtMost}
 * bytes of idle buffers.
 */
public final class DirectBuffers {
  private static final int SMALLEST = 64 * 1024;

  private final long keepAtMost;
  private final Map<Integer, ArrayDeque<ByteBuffer>> idle = new HashMap<>();
  private long kept;

  public DirectBuffers(long keepAtMost) {
    this.keepAtMost = keepAtMost;
  }

  /** A buffer with position 0 and limit {@code size}. */
  public synchronized ByteBuffer take(int size) {
    int capacity = capacityFor(size);
    ArrayDeque<ByteBuffer> free = idle.get(capacity);
    ByteBuffer buffer = free == null ? null : free.pollFirst();
    if (buffer == null) {
      buffer = ByteBuffer.allocateDirect(capacity);
    } else {
      kept -= capacity;
    }
    return buffer.clear().limit(size);
  }

  /** Returns a buffer nothing writes to any more. */
  public synchronized void give(ByteBuffer buffer) {
    if (kept + buffer.capacity() <= keepAtMost) {
      idle.computeIfAbsent(buffer.capacity(), c -> new ArrayDeque<>()).addFirst(buffer);
      kept += buffer.capacity();
    }
  }

  public static int capacityFor(int size) {
    return size <= SMALLEST ? SMALLEST : Integer.highestOneBit(size - 1) << 1;
  }
}
