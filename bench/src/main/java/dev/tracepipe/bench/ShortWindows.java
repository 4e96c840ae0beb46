package dev.tracepipe.bench;

import dev.tracepipe.alerts.peers.PeerSettings;
import dev.tracepipe.dependencies.DependencyGraphSettings;
import dev.tracepipe.latency.LatencySettings;
import dev.tracepipe.workload.ExportBatching;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings that make results show within seconds instead of minutes, shared by the demo and the benchmark: latency and
 * dependency windows of 10 s, baselines from the last three windows, trusted after 20 samples.
 */
public final class ShortWindows {
  private static final Map<String, String> COMMON = Map.ofEntries(
      Map.entry(DependencyGraphSettings.WINDOW.key(), "10s"),
      Map.entry(DependencyGraphSettings.GRACE.key(), "5s"),
      Map.entry(LatencySettings.WINDOW.key(), "10s"),
      Map.entry(LatencySettings.GRACE.key(), "5s"),
      Map.entry(LatencySettings.ROLLUPS.key(), "1m"),
      Map.entry(LatencySettings.BASELINE_WINDOWS.key(), "3"),
      Map.entry(LatencySettings.ADAPTIVE_MIN_SAMPLES.key(), "20"),
      Map.entry(LatencySettings.STORM_WINDOW.key(), "10s"),
      Map.entry(PeerSettings.MIN_SAMPLES.key(), "10"),
      Map.entry(PeerSettings.REPEAT_INTERVAL.key(), "20s"));

  /**
   * Spans are sent as tracers export them, with the SDK's delay at 1 s rather than 5 s: a delay longer than the
   * short inactivity gaps (3 s in the demo, 5 s in the bench) would split the traces of rarely called services.
   */
  public static final ExportBatching EXPORT = ExportBatching.honest(Duration.ofSeconds(1));

  private ShortWindows() {}

  /** The common settings with some added or replaced. */
  public static Map<String, String> with(Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(COMMON);
    settings.putAll(more);
    return Map.copyOf(settings);
  }
}
