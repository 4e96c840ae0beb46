package dev.tracepipe.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/** Counters of accepted, rejected and capped spans per format (and reason), as Prometheus {@code *_total} series. */
final class IngestMetrics {
  static final String ACCEPTED = IngestStage.SPANS_ACCEPTED_METRIC;
  static final String REJECTED = "tracepipe.ingest.spans.rejected";
  static final String TRUNCATED = "tracepipe.ingest.spans.truncated";
  static final String SERVICE_DEFAULTED = "tracepipe.ingest.spans.service.defaulted";

  private final MeterRegistry registry;

  IngestMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry == null");
  }

  void accepted(InputFormat format) {
    counter(ACCEPTED, "Spans written to the canonical topic", format).increment();
  }

  /** Counts rejected spans; a whole message that could not be decoded counts once. */
  void rejected(InputFormat format, RejectReason reason) {
    Counter.builder(REJECTED).description("Spans or undecodable messages sent to the dead-letter topic")
        .tag("format", format.label()).tag("reason", reason.label()).register(registry).increment();
  }

  void truncated(InputFormat format) {
    counter(TRUNCATED, "Accepted spans whose values, attributes, events or links were capped", format).increment();
  }

  void serviceDefaulted(InputFormat format) {
    counter(SERVICE_DEFAULTED, "Accepted spans that named no service", format).increment();
  }

  private Counter counter(String name, String description, InputFormat format) {
    return Counter.builder(name).description(description).tag("format", format.label()).register(registry);
  }
}
