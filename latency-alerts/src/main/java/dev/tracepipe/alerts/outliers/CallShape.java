package dev.tracepipe.alerts.outliers;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The usual shape of one root operation's traces: for each (service, operation), a decayed average of how many calls
 * a trace makes and of its square (so the spread is known), over the traces seen so far.
 */
final class CallShape {

  /** Decayed mean of calls per trace and of their square. */
  record Moments(double mean, double meanOfSquares) {
    double stdDev() {
      return Math.sqrt(Math.max(0, meanOfSquares - mean * mean));
    }
  }

  private long samples;
  private final Map<CallKey, Moments> calls;

  CallShape(long samples, Map<CallKey, Moments> calls) {
    this.samples = samples;
    this.calls = new TreeMap<>(Objects.requireNonNull(calls, "calls == null"));
  }

  static CallShape empty() {
    return new CallShape(0, Map.of());
  }

  long samples() {
    return samples;
  }

  Map<CallKey, Moments> calls() {
    return Collections.unmodifiableMap(calls);
  }

  /**
   * Folds one trace's call counts in. The first 1/decay traces are averaged plainly, so that a young shape is not
   * pulled towards zero; after that each trace weighs {@code decay}.
   *
   * @param maxCalls how many distinct calls to remember; the rarest are forgotten first
   * @return how many calls were forgotten because of maxCalls
   */
  int update(Map<CallKey, Integer> counts, double decay, int maxCalls) {
    Objects.requireNonNull(counts, "counts == null");
    samples++;
    double weight = Math.max(decay, 1.0 / samples);
    Set<CallKey> keys = new HashSet<>(calls.keySet());
    keys.addAll(counts.keySet());
    for (CallKey key : keys) {
      double x = counts.getOrDefault(key, 0);
      Moments m = calls.getOrDefault(key, new Moments(0, 0));
      Moments next = new Moments((1 - weight) * m.mean + weight * x,
          (1 - weight) * m.meanOfSquares + weight * x * x);
      if (next.mean < 1e-3 && next.meanOfSquares < 1e-3) {
        calls.remove(key); // a call that stopped happening long ago
      } else {
        calls.put(key, next);
      }
    }
    int forgotten = 0;
    while (calls.size() > maxCalls) {
      CallKey rarest = calls.entrySet().stream()
          .min(Map.Entry.<CallKey, Moments>comparingByValue((a, b) -> Double.compare(a.mean, b.mean))
              .thenComparing(Map.Entry.comparingByKey()))
          .orElseThrow().getKey();
      calls.remove(rarest);
      forgotten++;
    }
    return forgotten;
  }
}
