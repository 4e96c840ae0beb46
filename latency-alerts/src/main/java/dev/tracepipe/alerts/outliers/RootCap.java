package dev.tracepipe.alerts.outliers;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * At most {@code max} keys (root operations) in one task's store: counted once when the task starts, from the store
 * itself, then kept as keys are added, so a restart neither forgets the cap nor lets more in.
 */
final class RootCap {
  private final int max;
  private long count;

  private RootCap(int max, long count) {
    this.max = max;
    this.count = count;
  }

  static RootCap of(KeyValueStore<String, ?> store, int max) {
    if (max < 1) throw new IllegalArgumentException("max must be at least 1: " + max);
    long count = 0;
    try (KeyValueIterator<String, ?> it = store.all()) {
      while (it.hasNext()) {
        it.next();
        count++;
      }
    }
    return new RootCap(max, count);
  }

  /** Whether a key the store does not hold yet may be added; counts it when so. */
  boolean admitNew() {
    if (count >= max) return false;
    count++;
    return true;
  }
}
