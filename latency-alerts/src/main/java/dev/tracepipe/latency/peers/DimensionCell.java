package dev.tracepipe.latency.peers;

import dev.tracepipe.platform.sketch.LatencySketch;
import java.util.Map;
import java.util.Objects;

/** The spans of one combination of dimension values (host, version, ...) of an operation in one window. */
public record DimensionCell(Map<String, String> dimensions, LatencySketch sketch, long errors) {

  public DimensionCell {
    dimensions = Map.copyOf(Objects.requireNonNull(dimensions, "dimensions == null"));
    Objects.requireNonNull(sketch, "sketch == null");
  }
}
