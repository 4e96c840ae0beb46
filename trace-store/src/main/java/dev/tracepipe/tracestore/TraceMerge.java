package dev.tracepipe.tracestore;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.avro.Trace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Adds a late fragment to the stored trace: the aggregator emits spans that arrived after it forgot the trace as a
 * fragment of their own, which alone would replace the whole trace with a few spans.
 */
final class TraceMerge {
  private TraceMerge() {}

  static Trace addFragment(Trace stored, Trace fragment) {
    Set<String> present = new HashSet<>();
    List<Span> spans = new ArrayList<>(stored.getSpans());
    for (Span span : spans) present.add(identity(span));
    for (Span span : fragment.getSpans()) {
      if (present.add(identity(span))) spans.add(span);
    }
    spans.sort(Comparator.comparingLong(Span::getStartTimeNanos).thenComparing(Span::getSpanId));
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    int errors = 0;
    Set<String> services = new TreeSet<>();
    for (Span span : spans) {
      start = Math.min(start, span.getStartTimeNanos());
      end = Math.max(end, span.getStartTimeNanos() + span.getDurationNanos());
      if (span.getStatus().getCode() == StatusCode.ERROR) errors++;
      services.add(span.getService());
    }
    return Trace.newBuilder(stored)
        .setVersion(Math.max(stored.getVersion(), fragment.getVersion()))
        .setSpans(spans)
        .setStartTimeNanos(start)
        .setEndTimeNanos(end)
        .setDurationNanos(end - start)
        .setSpanCount(spans.size())
        .setServices(new ArrayList<>(services))
        .setErrorCount(errors)
        .build();
  }

  private static String identity(Span span) {
    return span.getSpanId() + (span.getShared() ? "/shared" : "");
  }
}
