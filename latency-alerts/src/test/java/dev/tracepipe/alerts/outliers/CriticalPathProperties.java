package dev.tracepipe.alerts.outliers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.CriticalPathSegment;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.latency.TestTraces;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The critical path must not depend on the order spans arrive in. */
class CriticalPathProperties {

  /** A random tree: children may overlap, outlive their parent, be consumers, or point at missing parents. */
  private static List<Span> randomTrace(long seed, int size) {
    Random random = new Random(seed);
    List<Span> spans = new ArrayList<>();
    spans.add(TestTraces.span("s0", null, "svc0", "root", SpanKind.SERVER, 0, 100 + random.nextInt(1000)));
    for (int i = 1; i < size; i++) {
      Span parent = spans.get(random.nextInt(spans.size()));
      long pStart = (parent.getStartTimeNanos() - TestTraces.EPOCH_NANOS) / 1_000_000L;
      long pEnd = pStart + parent.getDurationNanos() / 1_000_000L;
      long start = pStart - 20 + random.nextInt((int) (pEnd - pStart) + 40);
      long end = start + random.nextInt(300);
      SpanKind kind = SpanKind.values()[random.nextInt(SpanKind.values().length)];
      String parentId = random.nextInt(20) == 0 ? "missing" : parent.getSpanId();
      spans.add(TestTraces.span("s" + i, parentId, "svc" + random.nextInt(4), "op" + random.nextInt(3), kind,
          start, end));
    }
    return spans;
  }

  @Property(tries = 200)
  void selfTimesAddUpToTheRootDuration(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int size) {
    List<Span> spans = randomTrace(seed, size);
    List<CriticalPathSegment> path = CriticalPath.of(TraceTree.of(spans, "s0"));
    assertThat(path.stream().mapToLong(CriticalPathSegment::getSelfTimeNanos).sum())
        .isEqualTo(spans.get(0).getDurationNanos());
    assertThat(path).allSatisfy(s -> assertThat(s.getSelfTimeNanos()).isPositive());
  }

  @Property(tries = 200)
  void pathDoesNotDependOnSpanOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int size) {
    List<Span> spans = randomTrace(seed, size);
    List<Span> shuffled = new ArrayList<>(spans);
    Collections.shuffle(shuffled, new Random(seed ^ 0x5DEECE66DL));
    assertThat(CriticalPath.of(TraceTree.of(shuffled, "s0"))).isEqualTo(CriticalPath.of(TraceTree.of(spans, "s0")));
  }
}
