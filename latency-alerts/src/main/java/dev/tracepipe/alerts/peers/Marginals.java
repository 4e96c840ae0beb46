package dev.tracepipe.alerts.peers;

import dev.tracepipe.platform.sketch.LatencySketch;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The spans of each value of one dimension, whatever the other dimensions are. */
final class Marginals {

  /** Values that name no real host or version: never judged, never a peer. */
  static final String OVERFLOW = "__overflow__";
  static final String UNKNOWN = "unknown";

  /** Merged spans of one value: durations, errors and self times. */
  record Group(LatencySketch sketch, long errors, LatencySketch self) {
    long count() {
      return sketch.count();
    }

    double errorRate() {
      return count() == 0 ? 0 : (double) errors / count();
    }
  }

  private Marginals() {}

  /** Each named value of the dimension with its merged spans, in value order. */
  static Map<String, Group> of(List<DimensionCell> cells, String dimension) {
    Map<String, LatencySketch> sketches = new TreeMap<>();
    Map<String, LatencySketch> selves = new TreeMap<>();
    Map<String, Long> errors = new TreeMap<>();
    for (DimensionCell cell : cells) {
      String value = cell.dimensions().get(dimension);
      if (value == null || value.equals(OVERFLOW) || value.equals(UNKNOWN)) {
        continue;
      }
      sketches.computeIfAbsent(value, v -> new LatencySketch()).merge(cell.sketch());
      selves.computeIfAbsent(value, v -> new LatencySketch()).merge(cell.selfTime());
      errors.merge(value, cell.errors(), Long::sum);
    }
    Map<String, Group> groups = new TreeMap<>();
    sketches.forEach((value, sketch) -> groups.put(value, new Group(sketch, errors.get(value), selves.get(value))));
    return groups;
  }

  /** The values of {@code other} seen together with each value of {@code dimension}, e.g. each host's versions. */
  static Map<String, java.util.Set<String>> pairs(List<DimensionCell> cells, String dimension, String other) {
    Map<String, java.util.Set<String>> pairs = new TreeMap<>();
    for (DimensionCell cell : cells) {
      String value = cell.dimensions().get(dimension);
      String paired = cell.dimensions().get(other);
      if (value != null && paired != null) {
        pairs.computeIfAbsent(value, v -> new java.util.TreeSet<>()).add(paired);
      }
    }
    return pairs;
  }

  static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static double medianRate(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
