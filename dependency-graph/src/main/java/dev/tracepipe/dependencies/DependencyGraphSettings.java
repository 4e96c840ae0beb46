package dev.tracepipe.dependencies;

import dev.tracepipe.platform.TracepipeConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the dependency graph stage.
 *
 * @param window size of the tumbling windows edges are counted in
 * @param grace how long after a window ends calls of it are still accepted; must cover the
 *     aggregator's longest trace and its late updates, as calls are timed by their spans
 * @param traceMemory how long the calls counted per trace id are remembered to diff later versions
 * @param retention how long closed windows stay queryable
 * @param maxMetricEdges cap on the distinct edges (label sets) of the service graph metrics
 */
public record DependencyGraphSettings(Duration window, Duration grace, Duration traceMemory,
    Duration retention, int maxMetricEdges) {

  public static final String WINDOW = "dependencies.window";
  public static final String GRACE = "dependencies.grace";
  public static final String TRACE_MEMORY = "dependencies.trace.memory";
  public static final String RETENTION = "dependencies.retention";
  public static final String MAX_METRIC_EDGES = "dependencies.metrics.max.edges";

  public DependencyGraphSettings {
    requirePositive(window, "window");
    Objects.requireNonNull(grace, "grace == null");
    if (grace.isNegative()) throw new IllegalArgumentException("grace < 0: " + grace);
    requirePositive(traceMemory, "traceMemory");
    requirePositive(retention, "retention");
    if (retention.compareTo(window.plus(grace)) < 0) {
      throw new IllegalArgumentException("retention " + retention + " is shorter than window + grace");
    }
    if (maxMetricEdges < 0) throw new IllegalArgumentException("maxMetricEdges < 0: " + maxMetricEdges);
  }

  public static DependencyGraphSettings defaults() {
    return new DependencyGraphSettings(Duration.ofMinutes(1), Duration.ofMinutes(5),
        Duration.ofHours(1), Duration.ofHours(24), 1000);
  }

  public static DependencyGraphSettings from(TracepipeConfig config) {
    DependencyGraphSettings d = defaults();
    return new DependencyGraphSettings(
        config.duration(WINDOW, d.window()),
        config.duration(GRACE, d.grace()),
        config.duration(TRACE_MEMORY, d.traceMemory()),
        config.duration(RETENTION, d.retention()),
        config.integer(MAX_METRIC_EDGES, d.maxMetricEdges()));
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.isNegative() || value.isZero()) throw new IllegalArgumentException(name + " <= 0: " + value);
  }
}
