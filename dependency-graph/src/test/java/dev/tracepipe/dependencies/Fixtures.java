package dev.tracepipe.dependencies;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.testkit.TraceFixtures;
import java.util.Arrays;
import java.util.List;

/** Spans and traces with fixed ids for unit tests. */
final class Fixtures {
  static final String TRACE_ID = "0000000000000000000000000000abcd";
  static final long BASE_NANOS = 1_700_000_000_000_000_000L;

  private Fixtures() {}

  /** A span builder with everything but id, parent, kind and service filled in. */
  static Span.Builder span(String spanId, String parentId, SpanKind kind, String service) {
    return Span.newBuilder()
        .setTraceId(TRACE_ID)
        .setSpanId(spanId)
        .setParentSpanId(parentId)
        .setService(service)
        .setName("op")
        .setKind(kind)
        .setStartTimeNanos(BASE_NANOS)
        .setDurationNanos(1_000_000);
  }

  static Span server(String spanId, String parentId, String service) {
    return span(spanId, parentId, SpanKind.SERVER, service).build();
  }

  static Span sharedServer(String spanId, String parentId, String service) {
    return span(spanId, parentId, SpanKind.SERVER, service).setShared(true).build();
  }

  static Span client(String spanId, String parentId, String service, String peerService) {
    return span(spanId, parentId, SpanKind.CLIENT, service).setRemote(peer(peerService)).build();
  }

  static Span local(String spanId, String parentId, String service) {
    return span(spanId, parentId, SpanKind.INTERNAL, service).build();
  }

  static RemotePeer peer(String service) {
    return service == null ? null : RemotePeer.newBuilder().setService(service).build();
  }

  static Span failed(Span span) {
    return Span.newBuilder(span).setStatus(new Status(StatusCode.ERROR, "boom")).build();
  }

  static Span at(Span span, long startMillisAfterBase, long durationMillis) {
    return Span.newBuilder(span)
        .setStartTimeNanos(BASE_NANOS + startMillisAfterBase * 1_000_000)
        .setDurationNanos(durationMillis * 1_000_000)
        .build();
  }

  static Trace trace(String traceId, int version, TraceCompletion completion, Span... spans) {
    return TraceFixtures.trace(traceId, version, completion, Arrays.asList(spans));
  }

  static Trace trace(Span... spans) {
    return trace(TRACE_ID, 1, TraceCompletion.INACTIVITY_GAP, spans);
  }
}
