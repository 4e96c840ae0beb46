package dev.tracepipe.alerts.outliers;

import dev.tracepipe.avro.AlertRuleType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** The counters of outlier alerting: what was alerted, suppressed, capped or skipped. */
final class OutlierMetrics {

  final Counter tracesSkippedFragment;
  final Counter tracesSkippedNoRoot;
  final Counter alertsRepeatedVersion;
  final Counter alertsSuppressed;
  final Counter shapeCallsForgotten;
  final Counter shapesOverflow;
  final Counter stormOverflow;
  private final Map<AlertRuleType, Counter> alertsEmitted = new EnumMap<>(AlertRuleType.class);

  OutlierMetrics(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry == null");
    tracesSkippedFragment = skipped(registry, "late_fragment");
    tracesSkippedNoRoot = skipped(registry, "no_spans");
    alertsRepeatedVersion = Counter.builder("tracepipe.alerts.repeated")
        .description("Later trace versions with the verdict already alerted for the trace").register(registry);
    alertsSuppressed = Counter.builder("tracepipe.alerts.suppressed")
        .description("Alerts held back by storm control").register(registry);
    shapeCallsForgotten = Counter.builder("tracepipe.alerts.shape.calls.forgotten")
        .description("Rare calls dropped from a usual shape beyond its cap").register(registry);
    shapesOverflow = Counter.builder("tracepipe.alerts.shapes.overflow")
        .description("Traces of root operations beyond alerts.shape.max-roots, whose shape was not learned")
        .register(registry);
    stormOverflow = Counter.builder("tracepipe.alerts.storm.overflow")
        .description("Alerts of root operations beyond alerts.storm.max-roots, gated together as __overflow__")
        .register(registry);
    for (AlertRuleType type : AlertRuleType.values()) {
      alertsEmitted.put(type, Counter.builder("tracepipe.alerts.emitted").tag("rule", type.name())
          .description("Alerts written, by rule").register(registry));
    }
  }

  Counter alertsEmitted(AlertRuleType type) {
    return alertsEmitted.get(type);
  }

  private static Counter skipped(MeterRegistry registry, String reason) {
    return Counter.builder("tracepipe.alerts.traces.skipped").tag("reason", reason)
        .description("Traces not evaluated for alerts").register(registry);
  }
}
