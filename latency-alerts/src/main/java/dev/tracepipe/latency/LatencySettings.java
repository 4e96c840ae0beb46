package dev.tracepipe.latency;

import dev.tracepipe.alerts.outliers.SloThresholds;
import dev.tracepipe.alerts.peers.PeerSettings;
import dev.tracepipe.platform.Durations;
import dev.tracepipe.platform.Setting;
import dev.tracepipe.platform.TracepipeConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Everything the latency stage can be tuned with, read from {@code latency.*} and {@code alerts.*} (each key below,
 * listed with the others in CONFIGURATION.md).
 *
 * @param window the finest tumbling window; rollups are whole multiples of it
 * @param grace how long after a window ends late spans are still counted
 * @param rollups coarser windows built by merging the finest ones, e.g. 5m and 1h
 * @param dimensions resource attributes kept as extra dimensions (service.version, host.name)
 * @param maxDimensionCombinations distinct dimension combinations per operation and window before overflow
 * @param maxOperations distinct operations per finest window (and task) before overflow
 * @param storeRetention how long closed windows stay queryable
 * @param spanMemory how long a trace's counted span ids are remembered to count late versions' spans once
 * @param baselineWindows how many recent finest windows an operation's baseline merges
 */
public record LatencySettings(
    Duration window,
    Duration grace,
    List<Duration> rollups,
    List<String> dimensions,
    int maxDimensionCombinations,
    int maxOperations,
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
   * @param shapeMaxRoots root operations (per task) with a usual call shape of their own
   * @param stormMaxRoots root operations (per task) with a storm gate of their own; the rest share one
   * @param recentMax alerts the page's list of recent alerts keeps
   * @param recentLookback how far back that list starts when the stage starts
   */
  public record AlertSettings(
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
      int maxDifferences,
      int shapeMaxRoots,
      int stormMaxRoots,
      int recentMax,
      Duration recentLookback) {}

  public static final Setting WINDOW = latency("window", Duration.ofMinutes(1), "finest tumbling window");
  public static final Setting GRACE = latency("grace", Duration.ofSeconds(30),
      "late spans still counted after a window ends");
  public static final Setting ROLLUPS = latency("rollups", "5m,1h",
      "coarser windows, merged from the finer ones (each a multiple of the one before); empty for none");
  public static final Setting DIMENSIONS = latency("dimensions", PeerSettings.DEFAULT_DIMENSIONS,
      "resource attributes kept as extra dimensions (a span without one leaves it out); empty for none");
  public static final Setting MAX_DIMENSION_COMBINATIONS = latency("dimensions.max-combinations", 20,
      "dimension combinations per operation and window before `__overflow__`");
  public static final Setting MAX_OPERATIONS = Setting.of("latency.max-operations", 10_000,
      "distinct operations per finest window before `__overflow__` (an operation of the same service)");
  public static final Setting STORE_RETENTION = latency("store-retention", Duration.ofHours(24),
      "how long windows stay queryable");
  public static final Setting SPAN_MEMORY = latency("span-memory", Duration.ofHours(1),
      "how long counted span ids are kept per trace (late versions)");
  public static final Setting BASELINE_WINDOWS = latency("baseline.windows", 5,
      "recent finest windows merged into a baseline");
  public static final Setting ADAPTIVE_K = alerts("adaptive.k", 3.0, "adaptive alert above k × baseline p99");
  public static final Setting ADAPTIVE_MIN_SAMPLES = alerts("adaptive.min-samples", 100,
      "spans a baseline needs before it is used");
  public static final Setting ERROR_TRACES = alerts("error-traces", false, "also alert on traces with an error span");
  public static final Setting STORM_WINDOW = alerts("storm.window", Duration.ofMinutes(1), "storm-control window");
  public static final Setting STORM_MAX_PER_WINDOW = alerts("storm.max-per-window", 10,
      "alerts per root operation and storm window; the rest are suppressed and counted");
  public static final Setting VERDICT_MEMORY = alerts("verdict-memory", Duration.ofHours(1),
      "how long the alerted rule is remembered per trace id");
  public static final Setting BLAME_MAX = alerts("blame.max", 5, "blamed spans per alert");
  public static final Setting SHAPE_DECAY = alerts("shape.decay", 0.02, "weight of one trace in the usual shape");
  public static final Setting SHAPE_MIN_SAMPLES = alerts("shape.min-samples", 20,
      "traces before shape differences are reported");
  public static final Setting SHAPE_SIGMAS = alerts("shape.sigmas", 2.0, "how unusual a call count must be");
  public static final Setting SHAPE_MAX_CALLS = alerts("shape.max-calls", 200,
      "distinct calls remembered per root operation");
  public static final Setting SHAPE_MAX_DIFFERENCES = alerts("shape.max-differences", 10, "differences per alert");
  public static final Setting SHAPE_MAX_ROOTS = Setting.of("alerts.shape.max-roots", 10_000,
      "root operations with a usual call shape; a root operation beyond it is judged without one");
  public static final Setting STORM_MAX_ROOTS = Setting.of("alerts.storm.max-roots", 10_000,
      "root operations with a storm gate of their own; the rest share the `__overflow__` gate");
  public static final Setting RECENT_MAX = Setting.of("alerts.recent.max", 200,
      "alerts listed as recent on the page (a host or release condition counts once)");
  public static final Setting RECENT_LOOKBACK = Setting.of("alerts.recent.lookback", Duration.ofHours(1),
      "how far back the list of recent alerts starts when the stage starts");
  /** Not one key but a family: {@code alerts.slo.<service>.<operation>=<duration>}. */
  public static final Setting SLO = new Setting(SloThresholds.PREFIX + "<service>.<operation>", "",
      "static threshold, e.g. `alerts.slo.image-gallery.GET\\ /images=100ms`; `\"quoted.service\"` when the "
          + "service holds dots; operation `*` for every operation of the service", SloThresholds.FORMER_PREFIX
          + "<service>.<operation>");
  /** Every key, in the order the configuration reference lists them. */
  public static final List<Setting> ALL = List.of(WINDOW, GRACE, ROLLUPS, DIMENSIONS, MAX_DIMENSION_COMBINATIONS,
      MAX_OPERATIONS, STORE_RETENTION, SPAN_MEMORY, BASELINE_WINDOWS, ADAPTIVE_K, ADAPTIVE_MIN_SAMPLES, SLO,
      ERROR_TRACES, STORM_WINDOW, STORM_MAX_PER_WINDOW, STORM_MAX_ROOTS, VERDICT_MEMORY, BLAME_MAX, SHAPE_DECAY,
      SHAPE_MIN_SAMPLES, SHAPE_SIGMAS, SHAPE_MAX_CALLS, SHAPE_MAX_DIFFERENCES, SHAPE_MAX_ROOTS, RECENT_MAX,
      RECENT_LOOKBACK);

  public LatencySettings {
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
        WINDOW.duration(config),
        GRACE.duration(config),
        list(ROLLUPS.string(config)).stream().map(v -> SloThresholds.parseDuration(ROLLUPS.key(), v)).toList(),
        list(DIMENSIONS.string(config)),
        MAX_DIMENSION_COMBINATIONS.integer(config),
        MAX_OPERATIONS.integer(config),
        STORE_RETENTION.duration(config),
        SPAN_MEMORY.duration(config),
        BASELINE_WINDOWS.integer(config),
        new AlertSettings(
            ADAPTIVE_K.doubleValue(config),
            ADAPTIVE_MIN_SAMPLES.longValue(config),
            SloThresholds.fromProperties(config.asMap()),
            ERROR_TRACES.bool(config),
            STORM_WINDOW.duration(config),
            STORM_MAX_PER_WINDOW.integer(config),
            VERDICT_MEMORY.duration(config),
            BLAME_MAX.integer(config),
            SHAPE_DECAY.doubleValue(config),
            SHAPE_MIN_SAMPLES.longValue(config),
            SHAPE_SIGMAS.doubleValue(config),
            SHAPE_MAX_CALLS.integer(config),
            SHAPE_MAX_DIFFERENCES.integer(config),
            SHAPE_MAX_ROOTS.integer(config),
            STORM_MAX_ROOTS.integer(config),
            RECENT_MAX.integer(config),
            RECENT_LOOKBACK.duration(config)));
  }

  private static Setting latency(String name, Object defaultValue, String doc) {
    return Setting.of("latency." + name, defaultValue, doc).formerly("tracepipe.latency." + name);
  }

  private static Setting alerts(String name, Object defaultValue, String doc) {
    return Setting.of("alerts." + name, defaultValue, doc).formerly("tracepipe.alerts." + name);
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
    return Durations.format(d.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
  }

  private static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
