package dev.tracepipe.latency;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/** The counters of the percentiles: what was measured, repeated or capped. */
final class LatencyMetrics {

  final Counter spansSampled;
  final Counter spansRepeated;
  final Counter dimensionOverflow;
  final Counter operationsOverflow;

  LatencyMetrics(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry == null");
    spansSampled = Counter.builder(LatencyAlertsStage.SPANS_SAMPLED_METRIC)
        .description("Spans added to their operation's latency sketch").register(registry);
    spansRepeated = Counter.builder("tracepipe.latency.spans.repeated")
        .description("Spans of a later trace version already counted from an earlier one").register(registry);
    dimensionOverflow = Counter.builder("tracepipe.latency.dimension.overflow")
        .description("Samples put in the __overflow__ dimension bucket because of the cardinality cap")
        .register(registry);
    operationsOverflow = Counter.builder("tracepipe.latency.operations.overflow")
        .description("Samples counted as their service's __overflow__ operation beyond latency.max-operations")
        .register(registry);
  }
}
