package dev.tracepipe.alerts.outliers;

import static dev.tracepipe.latency.TestTraces.ms;
import static dev.tracepipe.latency.TestTraces.shared;
import static dev.tracepipe.latency.TestTraces.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.CriticalPathSegment;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.latency.TestTraces;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CriticalPathTest {

  private static List<CriticalPathSegment> path(String rootId, Span... spans) {
    return CriticalPath.of(TraceTree.of(List.of(spans), rootId));
  }

  /** "spanId=selfMillis" per segment, in path order. */
  private static String summary(List<CriticalPathSegment> path) {
    return path.stream()
        .map(s -> s.getSpanId() + "=" + s.getSelfTimeNanos() / 1_000_000L)
        .collect(Collectors.joining(" "));
  }

  private static String sections(String rootId, Span... spans) {
    return CriticalPath.sections(TraceTree.of(List.of(spans), rootId)).stream()
        .map(s -> s.node().span.getSpanId() + "[" + (s.start() - TestTraces.EPOCH_NANOS) / 1_000_000L + ","
            + (s.end() - TestTraces.EPOCH_NANOS) / 1_000_000L + ")")
        .collect(Collectors.joining(" "));
  }

  @Test
  void singleSpanIsItsOwnPath() {
    assertThat(summary(path("a", span("a", null, 0, 100)))).isEqualTo("a=100");
  }

  @Test
  void overlappingChildrenOnlyTheLastFinishingOneAndWhatEndedBeforeItStartedCount() {
    Span a = span("a", null, 0, 100);
    Span b = span("b", "a", 10, 60); // overlaps c, ends after c starts: hidden behind c
    Span c = span("c", "a", 40, 90);
    Span d = span("d", "a", 5, 30);  // ends before c starts: on the path
    assertThat(sections("a", a, b, c, d)).isEqualTo("a[0,5) d[5,30) a[30,40) c[40,90) a[90,100)");
    List<CriticalPathSegment> path = path("a", a, b, c, d);
    assertThat(summary(path)).isEqualTo("a=25 d=25 c=50");
    assertThat(path.stream().mapToLong(CriticalPathSegment::getSelfTimeNanos).sum()).isEqualTo(ms(100));
  }

  @Test
  void nestedChildrenAreWalkedDepthFirst() {
    Span a = span("a", null, 0, 100);
    Span b = span("b", "a", 10, 90);
    Span c = span("c", "b", 20, 50);
    Span d = span("d", "b", 55, 80);
    assertThat(sections("a", a, b, c, d))
        .isEqualTo("a[0,10) b[10,20) c[20,50) b[50,55) d[55,80) b[80,90) a[90,100)");
    assertThat(summary(path("a", a, b, c, d))).isEqualTo("a=20 b=25 c=30 d=25");
  }

  @Test
  void childrenOutlivingTheirParentAreClampedToIt() {
    Span a = span("a", null, 0, 100);
    Span b = span("b", "a", 50, 150);   // ends after its parent: counts only up to 100
    Span e = span("e", "b", 120, 140);  // lies wholly outside the clamped parent: dropped
    Span c = span("c", "a", -20, 30);   // starts before its parent (clock skew): counts from 0
    List<CriticalPathSegment> path = path("a", a, b, e, c);
    assertThat(sections("a", a, b, e, c)).isEqualTo("c[0,30) a[30,50) b[50,100)");
    assertThat(summary(path)).isEqualTo("c=30 a=20 b=50");
    CriticalPathSegment bSegment = path.get(2);
    assertThat(bSegment.getStartNanos()).isEqualTo(TestTraces.EPOCH_NANOS + ms(50));
    assertThat(bSegment.getEndNanos()).isEqualTo(TestTraces.EPOCH_NANOS + ms(100));
    assertThat(path.stream().mapToLong(CriticalPathSegment::getSelfTimeNanos).sum()).isEqualTo(ms(100));
  }

  @Test
  void asyncConsumerBranchesArePruned() {
    Span a = span("a", null, "shop", "POST /order", SpanKind.SERVER, 0, 100);
    Span p = span("p", "a", "shop", "send orders", SpanKind.PRODUCER, 10, 20);
    Span q = span("q", "p", "billing", "process orders", SpanKind.CONSUMER, 30, 95);
    Span r = span("r", "q", "billing", "charge", SpanKind.CLIENT, 40, 90);
    assertThat(summary(path("a", a, p, q, r))).isEqualTo("a=90 p=10");
  }

  @Test
  void orphansAreNotOnThePathOfTheRoot() {
    Span a = span("a", null, 0, 100);
    Span b = span("b", "a", 10, 50);
    Span orphan = span("o", "missing", 20, 200);
    assertThat(summary(path("a", a, b, orphan))).isEqualTo("a=60 b=40");
  }

  @Test
  void withoutARootTheTopLevelSpanFinishingLastIsWalked() {
    Span o1 = span("o1", "missing", 0, 50);
    Span o2 = span("o2", "gone", 10, 80);
    Span child = span("c", "o2", 20, 70);
    assertThat(summary(path(null, o1, o2, child))).isEqualTo("o2=20 c=50");
  }

  @Test
  void backToBackChildrenAreBothOnThePath() {
    Span a = span("a", null, 0, 100);
    Span b = span("b", "a", 0, 50);
    Span c = span("c", "a", 50, 100);
    assertThat(summary(path("a", a, b, c))).isEqualTo("b=50 c=50");
  }

  @Test
  void sharedServerHalfHangsUnderItsClientAndOwnsTheServersChildren() {
    Span root = span("r", null, "web", "GET /", SpanKind.SERVER, 0, 100);
    Span client = span("x", "r", "web", "GET /api", SpanKind.CLIENT, 10, 90);
    Span server = shared(span("x", "r", "api", "GET /api", SpanKind.SERVER, 15, 85));
    Span db = span("d", "x", "api", "SELECT", SpanKind.CLIENT, 20, 80);
    TraceTree tree = TraceTree.of(List.of(root, client, server, db), "r");
    TraceTree.Node dbNode = tree.nodes().stream().filter(n -> n.span.getSpanId().equals("d")).findFirst().orElseThrow();
    assertThat(dbNode.parent.span.getShared()).isTrue();
    assertThat(dbNode.parent.parent.span.getShared()).isFalse();
    List<CriticalPathSegment> path = CriticalPath.of(tree);
    assertThat(path).extracting(CriticalPathSegment::getService).containsExactly("web", "web", "api", "api");
    assertThat(summary(path)).isEqualTo("r=20 x=10 x=10 d=60");
  }

  @Test
  void parentCyclesDoNotLoopForever() {
    Span a = span("a", "b", 0, 100);
    Span b = span("b", "a", 10, 50);
    assertThat(summary(path("a", a, b))).isEqualTo("a=100");
  }

  @Test
  void emptyTraceHasNoPath() {
    assertThat(path(null)).isEmpty();
  }
}
