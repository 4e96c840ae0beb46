package dev.tracepipe.aggregator;

import dev.tracepipe.avro.TraceCompletion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/** The aggregator's meters; Prometheus shows them as {@code tracepipe_aggregator_*}. */
final class AggregatorMetrics {

  private final AtomicLong openTraces = new AtomicLong();
  private final Map<TraceCompletion, Counter> emitted = new EnumMap<>(TraceCompletion.class);
  private final Counter receivedSpans;
  private final Counter lateUpdateSpans;
  private final Counter lateFragmentSpans;
  private final Counter truncatedTraces;
  private final Counter droppedSpans;
  private final Counter duplicateSpans;
  private final Counter misroutedSpans;
  private final Timer emissionDelay;

  AggregatorMetrics(MeterRegistry meters) {
    Objects.requireNonNull(meters, "meters == null");
    Gauge.builder(AggregatorStage.OPEN_TRACES_METRIC, openTraces, AtomicLong::get)
        .description("Traces collecting spans, not yet emitted")
        .register(meters);
    for (TraceCompletion completion : TraceCompletion.values()) {
      emitted.put(completion, Counter.builder(AggregatorStage.TRACES_EMITTED_METRIC)
          .description("Trace records written, by why they were emitted")
          .tag("completion", completion.name())
          .register(meters));
    }
    receivedSpans = Counter.builder(AggregatorStage.SPANS_RECEIVED_METRIC)
        .description("Spans read from the input, copies included")
        .register(meters);
    lateUpdateSpans = late(meters, "update");
    lateFragmentSpans = late(meters, "fragment");
    truncatedTraces = Counter.builder("tracepipe.aggregator.traces.truncated")
        .description("Emitted trace records that lack spans beyond the per-trace caps")
        .register(meters);
    droppedSpans = Counter.builder("tracepipe.aggregator.spans.dropped")
        .description("Spans not kept because their trace reached the span or byte cap")
        .register(meters);
    duplicateSpans = Counter.builder("tracepipe.aggregator.spans.duplicate")
        .description("Copies of a span (same trace id, span id and shared flag) collapsed into one")
        .register(meters);
    misroutedSpans = Counter.builder("tracepipe.aggregator.spans.misrouted")
        .description("Spans whose record key was not their trace id; assembled under the span's trace id")
        .register(meters);
    emissionDelay = Timer.builder(AggregatorStage.EMISSION_DELAY_METRIC)
        .description("Wall time from the last span of a trace arriving to the trace being emitted")
        .publishPercentiles(0.5, 0.99)
        .register(meters);
  }

  private static Counter late(MeterRegistry meters, String kind) {
    return Counter.builder("tracepipe.aggregator.spans.late")
        .description("Spans that arrived after their trace was emitted")
        .tag("kind", kind)
        .register(meters);
  }

  void openTracesChanged(long delta) {
    openTraces.addAndGet(delta);
  }

  long openTraces() {
    return openTraces.get();
  }

  void emitted(TraceCompletion completion, boolean truncated, long delayMs) {
    emitted.get(completion).increment();
    if (truncated) {
      truncatedTraces.increment();
    }
    emissionDelay.record(Duration.ofMillis(Math.max(0, delayMs)));
  }

  void received() {
    receivedSpans.increment();
  }

  void lateSpan(boolean fragment) {
    (fragment ? lateFragmentSpans : lateUpdateSpans).increment();
  }

  void dropped() {
    droppedSpans.increment();
  }

  void duplicate() {
    duplicateSpans.increment();
  }

  void misrouted() {
    misroutedSpans.increment();
  }
}
