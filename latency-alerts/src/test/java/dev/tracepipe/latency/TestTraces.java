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
public final class TestTraces {

  public static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  // 2023-11-14T22:00:00Z, on a whole hour so that every window size starts at it.
  public static final long EPOCH_NANOS = 1_699_999_200_000_000_000L;
  public static final long EPOCH_MILLIS = EPOCH_NANOS / 1_000_000L;

  private TestTraces() {}

  public static Span span(String id, String parent, String service, String name, SpanKind kind, long startMs, long endMs) {
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

  public static Span span(String id, String parent, long startMs, long endMs) {
    return span(id, parent, "svc-" + id, "op-" + id, SpanKind.INTERNAL, startMs, endMs);
  }

  public static Span shared(Span span) {
    return Span.newBuilder(span).setShared(true).build();
  }

  public static Span failed(Span span) {
    return Span.newBuilder(span).setStatus(new Status(StatusCode.ERROR, "boom")).build();
  }

  public static Span withResource(Span span, Map<String, String> resource) {
    return Span.newBuilder(span).setResourceAttributes(resource).build();
  }

  /** The root operation of {@link #request}s under the name GET /, and the database call each makes. */
  public static final String WEB = new OperationKey("web", "GET /", SpanKind.SERVER).encode();
  public static final String DB = new OperationKey("db", "SELECT", SpanKind.CLIENT).encode();

  /** A fixed trace id made of a number, as many tests need a few distinct ones. */
  public static String id(int n) {
    return String.format("%032x", n);
  }

  /**
   * web {@code root} calling auth check {@code authCalls} times (5 ms each) and then db SELECT for {@code dbMs}, with
   * span ids made of the trace id's last four digits.
   */
  public static Trace request(String traceId, String root, long startMs, int authCalls, long dbMs) {
    String r = "r" + traceId.substring(28);
    List<Span> spans = new ArrayList<>();
    long t = startMs + 1;
    for (int i = 0; i < authCalls; i++) {
      spans.add(span("a" + i + traceId.substring(28), r, "auth", "check", SpanKind.CLIENT, t, t + 5));
      t += 5;
    }
    spans.add(span("d" + traceId.substring(28), r, "db", "SELECT", SpanKind.CLIENT, t, t + dbMs));
    t += dbMs;
    spans.add(0, span(r, null, "web", root, SpanKind.SERVER, startMs, t + 1));
    return trace(traceId, 1, TraceCompletion.INACTIVITY_GAP, spans);
  }

  public static long ms(long millis) {
    return millis * 1_000_000L;
  }

  /** A trace as the aggregator would emit it, rooted at the first span without a parent. */
  public static Trace trace(String traceId, int version, TraceCompletion completion, List<Span> spans) {
    List<Span> withId = new ArrayList<>();
    for (Span s : spans) {
      withId.add(Span.newBuilder(s).setTraceId(traceId).build());
    }
    return TraceFixtures.trace(traceId, version, completion, withId);
  }

  public static Trace trace(List<Span> spans) {
    return trace(TRACE_ID, 1, TraceCompletion.INACTIVITY_GAP, spans);
  }
}
