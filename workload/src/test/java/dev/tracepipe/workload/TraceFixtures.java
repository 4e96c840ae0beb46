package dev.tracepipe.workload;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Traces from fixed seeds and small helpers to look into them. */
final class TraceFixtures {
  static final long T0 = 1_700_000_000_000_000_000L;

  private TraceFixtures() {}

  static List<List<Span>> traces(SimulatedSystem system, int count) {
    List<List<Span>> traces = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      traces.add(system.nextTrace(T0 + i * 1_000_000L));
    }
    return traces;
  }

  static List<List<Span>> traces(SimulatedSystem system, String root, int count) {
    List<List<Span>> traces = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      traces.add(system.nextTrace(root, T0 + i * 1_000_000L));
    }
    return traces;
  }

  static List<Span> spans(List<List<Span>> traces) {
    return traces.stream().flatMap(List::stream).toList();
  }

  static Map<String, Span> byId(List<Span> trace) {
    Map<String, Span> byId = new HashMap<>();
    trace.forEach(span -> byId.put(span.getSpanId(), span));
    return byId;
  }

  static long end(Span span) {
    return span.getStartTimeNanos() + span.getDurationNanos();
  }

  static boolean isServer(Span span, String service) {
    return span.getKind() == SpanKind.SERVER && span.getService().equals(service);
  }

  static long[] durations(List<Span> spans, Predicate<Span> filter) {
    return spans.stream().filter(filter).mapToLong(Span::getDurationNanos).sorted().toArray();
  }

  static long median(long[] sorted) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    return sorted[sorted.length / 2];
  }

  static long percentile(long[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }

  static String describe(long[] sorted) {
    return sorted.length + " values, median " + median(sorted) + " " + Arrays.toString(Arrays.copyOf(sorted, 3));
  }
}
