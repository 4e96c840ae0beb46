package dev.tracepipe.alerts.peers;

import dev.tracepipe.platform.sketch.LatencySketch;
import java.util.Map;
import java.util.Objects;

/**
 * The spans of one combination of dimension values (host, version, ...) of an operation in one window: durations,
 * errors, and self times (duration minus the time covered by synchronous children).
 */
public record DimensionCell(Map<String, String> dimensions, LatencySketch sketch, long errors,
    LatencySketch selfTime) {

  public DimensionCell {
    dimensions = Map.copyOf(Objects.requireNonNull(dimensions, "dimensions == null"));
    Objects.requireNonNull(sketch, "sketch == null");
    Objects.requireNonNull(selfTime, "selfTime == null");
  }
}
