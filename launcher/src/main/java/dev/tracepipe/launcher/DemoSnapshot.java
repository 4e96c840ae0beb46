package dev.tracepipe.launcher;

import dev.tracepipe.avro.LatencyAlert;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One refresh of the demo's four panels: traces assembled, top dependency edges, slowest operations, latest alerts.
 * A panel whose source did not answer carries the reason instead of numbers.
 */
record DemoSnapshot(Duration elapsed, String fault, Traces traces, Panel<DemoQueries.Edge> edges,
    Panel<DemoQueries.OperationLatency> slowest, Alerts alerts, String page) {

  DemoSnapshot(Duration elapsed, String fault, Traces traces, Panel<DemoQueries.Edge> edges,
      Panel<DemoQueries.OperationLatency> slowest, Alerts alerts) {
    this(elapsed, fault, traces, edges, slowest, alerts, "");
  }

  /** Panel (a). */
  record Traces(long count, double spansInPerSecond, double tracesOutPerSecond, DemoFeed.LatestTrace latest) {}

  /** Panels (b) and (c): rows, or why there are none. */
  record Panel<T>(List<T> rows, String problem) {}

  /**
   * Panel (d): newest first, how often each service was blamed first, and the host and release conditions firing
   * right now (the latest record of each).
   */
  record Alerts(long count, List<LatencyAlert> latest, Map<String, Long> topBlames, List<LatencyAlert> firing) {
    Alerts(long count, List<LatencyAlert> latest, Map<String, Long> topBlames) {
      this(count, latest, topBlames, List.of());
    }
  }
}
