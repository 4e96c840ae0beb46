package dev.tracepipe.latency;

import java.util.HashSet;
import java.util.Set;

/**
 * At most {@code max} distinct operations per finest window: a new operation beyond it is counted as its service's
 * {@code __overflow__} operation, so that per-operation windows, baselines and shapes stop growing with every new
 * name. Kept per task and started afresh with each newer window; after a restart a window admits its operations anew.
 */
final class OperationCap {
  private final int max;
  private final long windowMillis;
  private final Set<String> admitted = new HashSet<>();
  private long window = Long.MIN_VALUE;

  OperationCap(int max, long windowMillis) {
    if (max < 1) throw new IllegalArgumentException("max must be at least 1: " + max);
    if (windowMillis < 1) throw new IllegalArgumentException("windowMillis must be positive: " + windowMillis);
    this.max = max;
    this.windowMillis = windowMillis;
  }

  /** The operation a sample at {@code timeMs} is counted under: its own, or its service's overflow operation. */
  OperationKey admit(OperationKey op, long timeMs) {
    long w = Math.floorDiv(timeMs, windowMillis);
    if (w > window) {
      window = w;
      admitted.clear();
    }
    String key = op.encode();
    if (admitted.contains(key) || admitted.size() < max && admitted.add(key)) return op;
    return new OperationKey(op.service(), LatencyAccumulator.OVERFLOW, op.kind());
  }
}
