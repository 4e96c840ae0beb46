package dev.tracepipe.trace;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import java.util.Map;

/** Spans with fixed ids for the trace model's unit tests. */
final class Spans {
  static final String TRACE = "0000000000000000000000000000abcd";
  static final String A = "000000000000000a";
  static final String B = "000000000000000b";
  static final String C = "000000000000000c";
  static final long BASE = 1_700_000_000_000_000_000L;

  private Spans() {}

  static Span.Builder span(String id, String parent, SpanKind kind, String service) {
    return Span.newBuilder().setTraceId(TRACE).setSpanId(id).setParentSpanId(parent).setService(service)
        .setName("op").setKind(kind).setStartTimeNanos(BASE).setDurationNanos(1_000_000);
  }

  static Span.Builder untimed(Span.Builder span) {
    return span.setUntimed(true).setStartTimeNanos(BASE + 999_000_000_000L).setDurationNanos(0);
  }

  static Span.Builder at(Span.Builder span, long startMillis, long durationMillis) {
    return span.setStartTimeNanos(BASE + startMillis * 1_000_000).setDurationNanos(durationMillis * 1_000_000);
  }

  static Span.Builder ip(Span.Builder span, String ip) {
    return span.setResourceAttributes(Map.of(SpanFacts.HOST_IP, ip));
  }

  static RemotePeer peer(String service) {
    return RemotePeer.newBuilder().setService(service).build();
  }
}
