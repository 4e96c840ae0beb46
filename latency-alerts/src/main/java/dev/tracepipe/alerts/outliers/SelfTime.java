package dev.tracepipe.alerts.outliers;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The time each span spent on its own: its duration minus the part covered by its synchronous children (clamped to it,
 * overlaps counted once). A release or a host that does its own work slower shows here even when most of an
 * operation's time is spent waiting on other services.
 */
public final class SelfTime {

  private SelfTime() {}

  /** Self times of a trace's spans, by identity. */
  public static Map<Span, Long> of(List<Span> spans, String rootSpanId) {
    return of(TraceTree.of(spans, rootSpanId));
  }

  static Map<Span, Long> of(TraceTree tree) {
    Map<Span, Long> self = new IdentityHashMap<>();
    for (TraceTree.Node node : tree.nodes()) {
      self.put(node.span, selfNanos(node));
    }
    return self;
  }

  private static long selfNanos(TraceTree.Node node) {
    long start = node.span.getStartTimeNanos();
    long end = start + node.span.getDurationNanos();
    List<long[]> covered = new ArrayList<>();
    for (TraceTree.Node child : node.children) {
      if (child.span.getKind() == SpanKind.CONSUMER) {
        continue; // the far side of a message: it never delays its parent
      }
      long s = Math.max(start, child.span.getStartTimeNanos());
      long e = Math.min(end, child.span.getStartTimeNanos() + child.span.getDurationNanos());
      if (e > s) {
        covered.add(new long[] {s, e});
      }
    }
    covered.sort(Comparator.comparingLong(c -> c[0]));
    long busy = 0;
    long until = start;
    for (long[] c : covered) {
      long s = Math.max(c[0], until);
      if (c[1] > s) {
        busy += c[1] - s;
        until = c[1];
      }
    }
    return Math.max(0, end - start - busy);
  }
}
