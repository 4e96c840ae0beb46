package dev.tracepipe.latency;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.avro.TraceQuality;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

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
    List<Span> sorted = new ArrayList<>();
    for (Span s : spans) {
      sorted.add(Span.newBuilder(s).setTraceId(traceId).build());
    }
    sorted.sort(Comparator.comparingLong(Span::getStartTimeNanos).thenComparing(Span::getSpanId));
    long start = sorted.stream().mapToLong(Span::getStartTimeNanos).min().orElse(0);
    long end = sorted.stream().mapToLong(s -> s.getStartTimeNanos() + s.getDurationNanos()).max().orElse(0);
    Span root = sorted.stream().filter(s -> s.getParentSpanId() == null).findFirst().orElse(null);
    TreeSet<String> services = new TreeSet<>();
    sorted.forEach(s -> services.add(s.getService()));
    int errors = (int) sorted.stream().filter(s -> s.getStatus().getCode() == StatusCode.ERROR).count();
    return Trace.newBuilder()
        .setTraceId(traceId)
        .setVersion(version)
        .setCompletion(completion)
        .setSpans(sorted)
        .setStartTimeNanos(start)
        .setEndTimeNanos(end)
        .setDurationNanos(end - start)
        .setRootSpanId(root == null ? null : root.getSpanId())
        .setRootService(root == null ? null : root.getService())
        .setRootOperation(root == null ? null : root.getName())
        .setSpanCount(sorted.size())
        .setServices(new ArrayList<>(services))
        .setErrorCount(errors)
        .setQuality(TraceQuality.newBuilder().build())
        .build();
  }

  static Trace trace(List<Span> spans) {
    return trace(TRACE_ID, 1, TraceCompletion.INACTIVITY_GAP, spans);
  }
}
