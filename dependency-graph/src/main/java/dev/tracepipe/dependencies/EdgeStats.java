package dev.tracepipe.dependencies;

import dev.tracepipe.avro.LatencySummary;
import dev.tracepipe.platform.sketch.LatencySketch;
import java.util.Objects;

/** Calls, errors and the latency distribution of one edge, in one window or merged over several. */
final class EdgeStats {
  private long calls;
  private long errors;
  private final LatencySketch latency;

  EdgeStats() {
    this(0, 0, new LatencySketch());
  }

  EdgeStats(long calls, long errors, LatencySketch latency) {
    this.calls = calls;
    this.errors = errors;
    this.latency = Objects.requireNonNull(latency, "latency == null");
  }

  /**
   * Applies one change. A retraction takes back the call and its error but not its latency
   * sample, which a sketch cannot forget (RATIONALE.md, "Trace versions").
   */
  EdgeStats add(EdgeDelta delta) {
    calls += delta.calls();
    errors += delta.errors();
    if (delta.isNewCall() && delta.latencyNanos() != Call.UNKNOWN) latency.add(delta.latencyNanos());
    return this;
  }

  EdgeStats merge(EdgeStats other) {
    calls += other.calls;
    errors += other.errors;
    latency.merge(other.latency);
    return this;
  }

  long calls() {
    return calls;
  }

  long errors() {
    return errors;
  }

  LatencySketch latency() {
    return latency;
  }

  /** The latency summary, or null when no call of the edge had a known duration. */
  LatencySummary summary() {
    return latency.count() == 0 ? null : latency.toSummary();
  }
}
