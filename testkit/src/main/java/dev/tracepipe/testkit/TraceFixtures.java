package dev.tracepipe.testkit;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.avro.TraceQuality;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Builds {@link Trace} records as the aggregator emits them, for tests of the stages downstream of it: spans sorted by
 * start, summary fields computed, no quality flags.
 */
public final class TraceFixtures {
  private TraceFixtures() {}

  public static Trace trace(String traceId, int version, TraceCompletion completion, List<Span> spans) {
    List<Span> sorted = new ArrayList<>(spans);
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
}
