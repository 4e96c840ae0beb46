package dev.tracepipe.latency;

import dev.tracepipe.latency.peers.PeerSettings;
import dev.tracepipe.platform.TracepipeConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Everything the latency stage can be tuned with, read from {@code tracepipe.latency.*} and
 * {@code tracepipe.alerts.*} (see the module README for each key).
 *
 * @param window the finest tumbling window; rollups are whole multiples of it
 * @param grace how long after a window ends late spans are still counted
 * @param rollups coarser windows built by merging the finest ones, e.g. 5m and 1h
 * @param dimensions resource attributes kept as extra dimensions (service.version, host.name)
 * @param maxDimensionCombinations distinct dimension combinations per operation and window before overflow
 * @param storeRetention how long closed windows stay queryable
 * @param spanMemory how long a trace's counted span ids are remembered to count late versions' spans once
 * @param baselineWindows how many recent finest windows an operation's baseline merges
 */
record LatencySettings(
    Duration window,
    Duration grace,
    List<Duration> rollups,
    List<String> dimensions,
    int maxDimensionCombinations,
    Duration storeRetention,
    Duration spanMemory,
    int baselineWindows,
    AlertSettings alerts) {

  /**
   * @param k an adaptive alert needs a duration above k × the baseline p99
   * @param minSamples a baseline is trusted once it holds this many spans
   * @param stormWindow storm control counts alerts per root operation in windows of this length
   * @param maxAlertsPerWindow alerts per root operation and storm window; the rest are suppressed and counted
   * @param verdictMemory how long the rule a trace was alerted for is remembered across its versions
   */
  record AlertSettings(
      double k,
      long minSamples,
      SloThresholds slo,
      boolean errorTraces,
      Duration stormWindow,
      int maxAlertsPerWindow,
      Duration verdictMemory,
      int maxBlamed,
      double shapeDecay,
      long shapeMinSamples,
      double shapeSigmas,
      int shapeMaxCalls,
      int maxDifferences) {}

  LatencySettings {
    Objects.requireNonNull(window, "window == null");
    Objects.requireNonNull(grace, "grace == null");
    rollups = List.copyOf(Objects.requireNonNull(rollups, "rollups == null"));
    dimensions = List.copyOf(Objects.requireNonNull(dimensions, "dimensions == null"));
    Objects.requireNonNull(alerts, "alerts == null");
    Duration previous = window;
    for (Duration rollup : rollups) {
      if (rollup.compareTo(previous) <= 0 || rollup.toMillis() % previous.toMillis() != 0) {
        throw new IllegalArgumentException("each rollup must be a larger whole multiple of the one before: " + rollups);
      }
      previous = rollup;
    }
  }

  static LatencySettings from(TracepipeConfig config) {
    return new LatencySettings(
        config.duration("tracepipe.latency.window", Duration.ofMinutes(1)),
        config.duration("tracepipe.latency.grace", Duration.ofSeconds(30)),
        list(config.string("tracepipe.latency.rollups", "5m,1h")).stream()
            .map(v -> SloThresholds.parseDuration("tracepipe.latency.rollups", v)).toList(),
        list(config.string("tracepipe.latency.dimensions", PeerSettings.DEFAULT_DIMENSIONS)),
        config.integer("tracepipe.latency.dimensions.max-combinations", 20),
        config.duration("tracepipe.latency.store-retention", Duration.ofHours(24)),
        config.duration("tracepipe.latency.span-memory", Duration.ofHours(1)),
        config.integer("tracepipe.latency.baseline.windows", 5),
        new AlertSettings(
            config.doubleValue("tracepipe.alerts.adaptive.k", 3.0),
            config.longValue("tracepipe.alerts.adaptive.min-samples", 100),
            SloThresholds.fromProperties(config.asMap()),
            config.bool("tracepipe.alerts.error-traces", false),
            config.duration("tracepipe.alerts.storm.window", Duration.ofMinutes(1)),
            config.integer("tracepipe.alerts.storm.max-per-window", 10),
            config.duration("tracepipe.alerts.verdict-memory", Duration.ofHours(1)),
            config.integer("tracepipe.alerts.blame.max", 5),
            config.doubleValue("tracepipe.alerts.shape.decay", 0.02),
            config.longValue("tracepipe.alerts.shape.min-samples", 20),
            config.doubleValue("tracepipe.alerts.shape.sigmas", 2.0),
            config.integer("tracepipe.alerts.shape.max-calls", 200),
            config.integer("tracepipe.alerts.shape.max-differences", 10)));
  }

  /** Every window level, finest first. */
  List<Duration> levels() {
    List<Duration> levels = new java.util.ArrayList<>();
    levels.add(window);
    levels.addAll(rollups);
    return levels;
  }

  /** The name a window level goes by in store names and the query API: 1m, 5m, 1h, 2s, 500ms. */
  static String label(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0) {
      return ms / 1_000 + "s";
    }
    return ms + "ms";
  }

  private static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
