package dev.tracepipe.launcher;

import java.util.HashMap;
import java.util.Map;

/**
 * Settings that make results show within seconds instead of minutes, shared by the demo and the benchmark: latency and
 * dependency windows of 10 s, baselines from the last three windows, trusted after 20 samples.
 */
final class ShortWindows {
  private static final Map<String, String> COMMON = Map.ofEntries(
      Map.entry("dependencies.window", "10s"),
      Map.entry("dependencies.grace", "5s"),
      Map.entry("tracepipe.latency.window", "10s"),
      Map.entry("tracepipe.latency.grace", "5s"),
      Map.entry("tracepipe.latency.rollups", "1m"),
      Map.entry("tracepipe.latency.baseline.windows", "3"),
      Map.entry("tracepipe.alerts.adaptive.min-samples", "20"),
      Map.entry("tracepipe.alerts.storm.window", "10s"),
      Map.entry("tracepipe.peers.min-samples", "10"),
      Map.entry("tracepipe.alerts.lifecycle.repeat-interval", "20s"));

  private ShortWindows() {}

  /** The common settings with some added or replaced. */
  static Map<String, String> with(Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(COMMON);
    settings.putAll(more);
    return Map.copyOf(settings);
  }
}
