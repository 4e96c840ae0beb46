package dev.tracepipe.dependencies;

import dev.tracepipe.platform.Setting;
import dev.tracepipe.platform.TracepipeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Tuning of the dependency graph stage, read from {@code dependencies.*} keys (declared below, listed in
 * CONFIGURATION.md).
 *
 * @param window size of the tumbling windows edges are counted in
 * @param grace how long after a window ends calls of it are still accepted; must cover the
 *     aggregator's longest trace and its late updates, as calls are timed by their spans
 * @param traceMemory how long the calls counted per trace id are remembered to diff later versions
 * @param retention how long closed windows stay queryable
 * @param maxMetricEdges cap on the distinct edges (label sets) of the service graph metrics
 * @param maxWindowEdges cap on the distinct edges a window holds per partition; calls of further edges are counted in
 *     one overflow edge per connection type
 */
public record DependencyGraphSettings(Duration window, Duration grace, Duration traceMemory,
    Duration retention, int maxMetricEdges, int maxWindowEdges) {

  public static final Setting WINDOW = Setting.of("dependencies.window", Duration.ofMinutes(1),
      "size of the tumbling windows edges are counted in");
  public static final Setting GRACE = Setting.of("dependencies.grace", Duration.ofMinutes(5),
      "how long after a window ends calls of it are still accepted; must cover the aggregator's longest trace");
  public static final Setting TRACE_MEMORY = Setting.of("dependencies.trace.memory", Duration.ofHours(1),
      "how long the calls counted per trace id are remembered to diff later versions");
  public static final Setting RETENTION = Setting.of("dependencies.retention", Duration.ofHours(24),
      "how long closed windows stay queryable");
  public static final Setting MAX_METRIC_EDGES = Setting.of("dependencies.metrics.max.edges", 1000,
      "cap on the distinct edges (label sets) of the service graph metrics");
  public static final Setting MAX_WINDOW_EDGES = Setting.of("dependencies.window.max.edges", 10_000,
      "cap on the distinct edges (parent, child, connection type) a window holds per partition; calls of further "
          + "edges are counted in one `__overflow__` edge per connection type");
  /** Read by {@link DependencyGraphStage} for its query API rather than by the topology. */
  public static final Setting QUERY_TIMEOUT = Setting.of("dependencies.query.timeout", Duration.ofSeconds(10),
      "how long a query waits for another instance's answer");
  /** Every key, in the order the configuration reference lists them. */
  public static final List<Setting> ALL = List.of(WINDOW, GRACE, TRACE_MEMORY, RETENTION, MAX_METRIC_EDGES,
      MAX_WINDOW_EDGES, QUERY_TIMEOUT);

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
    if (maxWindowEdges < 1) throw new IllegalArgumentException("maxWindowEdges < 1: " + maxWindowEdges);
  }

  public static DependencyGraphSettings defaults() {
    return from(TracepipeConfig.of(java.util.Map.of()));
  }

  public static DependencyGraphSettings from(TracepipeConfig config) {
    return new DependencyGraphSettings(WINDOW.duration(config), GRACE.duration(config),
        TRACE_MEMORY.duration(config), RETENTION.duration(config), MAX_METRIC_EDGES.integer(config),
        MAX_WINDOW_EDGES.integer(config));
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.isNegative() || value.isZero()) throw new IllegalArgumentException(name + " <= 0: " + value);
  }
}
