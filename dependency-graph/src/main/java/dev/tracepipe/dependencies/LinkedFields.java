package dev.tracepipe.dependencies;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceQuality;
import dev.tracepipe.schemas.serde.AvroProjection;
import dev.tracepipe.schemas.serde.ProjectionSerde;
import dev.tracepipe.trace.SpanFacts;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * The part of a {@code Trace} record that this stage reads, so that its attribute maps, events, links and quality
 * lists are skipped rather than built: what {@link TraceDeltaProcessor} reads of the trace, and what linking reads of a
 * span ({@link LinkSpan}, and the span tree's order and placement: endpoint, shared flag, the canonical tie-break).
 */
final class LinkedFields {
  private static final String TRACE = Trace.getClassSchema().getFullName();
  private static final String SPAN = Span.getClassSchema().getFullName();

  static final AvroProjection PROJECTION = AvroProjection.of(Trace.getClassSchema())
      // The fields without a default are kept whether read or not: a projection may only leave out what has one.
      .keepFields(TRACE, "traceId", "version", "completion", "spans", "startTimeNanos", "endTimeNanos",
          "durationNanos", "spanCount", "quality")
      .keepFields(TraceQuality.getClassSchema().getFullName())
      .keepFields(SPAN, "traceId", "spanId", "parentSpanId", "shared", "service", "name", "kind", "startTimeNanos",
          "durationNanos", "status", "remote", "untimed")
      .keepMapKeys(SPAN, "attributes", SpanFacts.ERROR_TAG, SpanFacts.SHARED_INFERRED)
      .keepMapKeys(SPAN, "resourceAttributes", SpanFacts.SERVICE_DEFAULTED, SpanFacts.HOST_IP, SpanFacts.HOST_PORT)
      .build();

  private LinkedFields() {}

  /** Reads the {@code traces} topic's values through {@link #PROJECTION}; it cannot write them. */
  static Serde<Trace> traceSerde(Map<String, ?> serdeConfig) {
    return ProjectionSerde.of(Trace.class, PROJECTION).configured(serdeConfig, false);
  }
}
