package dev.tracepipe.latency;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One span's contribution to its operation's percentiles: duration, whether it failed, its values of the configured
 * extra dimensions, and its self time (what peer comparison judges). Samples are folded in memory
 * ({@link dev.tracepipe.platform.time.WindowCombiner}); only their folds are encoded.
 */
record SpanSample(long durationNanos, boolean error, Map<String, String> dimensions, long selfNanos) {

  SpanSample(long durationNanos, boolean error, Map<String, String> dimensions) {
    this(durationNanos, error, dimensions, durationNanos);
  }

  SpanSample {
    dimensions = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(dimensions, "dimensions == null")));
  }
}
