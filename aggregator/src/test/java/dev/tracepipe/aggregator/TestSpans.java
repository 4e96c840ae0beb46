package dev.tracepipe.aggregator;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import java.util.Map;

/** Spans with fixed ids for unit tests. */
final class TestSpans {

  static final String TRACE = "00000000000000000000000000000abc";

  private TestSpans() {}

  /** A span of {@link #TRACE}; times in milliseconds for readability, stored in nanoseconds. */
  static Span.Builder span(String spanId, String parentId, String service, long startMs, long durationMs) {
    return span(TRACE, spanId, parentId, service, startMs, durationMs);
  }

  static Span.Builder span(String traceId, String spanId, String parentId, String service, long startMs,
      long durationMs) {
    return Span.newBuilder()
        .setTraceId(traceId)
        .setSpanId(spanId)
        .setParentSpanId(parentId)
        .setService(service)
        .setName("op-" + spanId)
        .setKind(SpanKind.INTERNAL)
        .setStartTimeNanos(startMs * 1_000_000L)
        .setDurationNanos(durationMs * 1_000_000L)
        .setStatus(new Status(StatusCode.UNSET, null))
        .setAttributes(Map.of())
        .setResourceAttributes(Map.of());
  }

  static Span root(String spanId, String service, long startMs, long durationMs) {
    return span(spanId, null, service, startMs, durationMs).build();
  }

  static Span child(String spanId, String parentId, String service, long startMs, long durationMs) {
    return span(spanId, parentId, service, startMs, durationMs).build();
  }
}
