package dev.tracepipe.latency;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.testkit.TraceFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-built spans and traces with fixed ids; times are given in milliseconds from a fixed epoch offset. */
final class TestTraces {

  static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  // 2023-11-14T22:00:00Z, on a whole hour so that every window size starts at it.
  static final long EPOCH_NANOS = 1_699_999_200_000_000_000L;
  static final long EPOCH_MILLIS = EPOCH_NANOS / 1_000_000L;

  private TestTraces() {}

  static Span span(String id, String parent, String service, String name, SpanKind kind, long startMs, long endMs) {
    return Span.newBuilder()
        .setTraceId(TRACE_ID)
        .setSpanId(id)
        .setParentSpanId(parent)
        .setService(service)
        .setName(name)
        .setKind(kind)
        .setStartTimeNanos(EPOCH_NANOS + startMs * 1_000_000L)
        .setDurationNanos((endMs - startMs) * 1_000_000L)
        .build();
  }

  static Span span(String id, String parent, long startMs, long endMs) {
    return span(id, parent, "svc-" + id, "op-" + id, SpanKind.INTERNAL, startMs, endMs);
  }

  static Span shared(Span span) {
    return Span.newBuilder(span).setShared(true).build();
  }

  static Span failed(Span span) {
    return Span.newBuilder(span).setStatus(new Status(StatusCode.ERROR, "boom")).build();
  }

  static Span withResource(Span span, Map<String, String> resource) {
    return Span.newBuilder(span).setResourceAttributes(resource).build();
  }

  static long ms(long millis) {
    return millis * 1_000_000L;
  }

  /** A trace as the aggregator would emit it, rooted at the first span without a parent. */
  static Trace trace(String traceId, int version, TraceCompletion completion, List<Span> spans) {
    List<Span> withId = new ArrayList<>();
    for (Span s : spans) {
      withId.add(Span.newBuilder(s).setTraceId(traceId).build());
    }
    return TraceFixtures.trace(traceId, version, completion, withId);
  }

  static Trace trace(List<Span> spans) {
    return trace(TRACE_ID, 1, TraceCompletion.INACTIVITY_GAP, spans);
  }
}
