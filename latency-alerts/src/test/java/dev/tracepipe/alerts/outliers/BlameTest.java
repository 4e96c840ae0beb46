package dev.tracepipe.alerts.outliers;

import static dev.tracepipe.latency.TestTraces.ms;
import static dev.tracepipe.latency.TestTraces.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Baseline;
import dev.tracepipe.avro.BlamedSpan;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.latency.OperationKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlameTest {

  private final Map<OperationKey, Baseline> baselines = new HashMap<>();

  private void baseline(Span span, long p99Ms) {
    baselines.put(OperationKey.of(span), new Baseline(1000L, ms(p99Ms) / 2, ms(p99Ms) * 3 / 4, ms(p99Ms)));
  }

  private List<BlamedSpan> blame(List<Span> spans, int max) {
    TraceTree tree = TraceTree.of(spans, "a");
    return Blame.of(tree, baselines::get, CriticalPath.of(tree), max);
  }

  @Test
  void slowLeafIsBlamedNotTheCallersWaitingOnIt() {
    Span a = span("a", null, "web", "GET /", SpanKind.SERVER, 0, 400);
    Span b = span("b", "a", "web", "GET /api", SpanKind.CLIENT, 10, 390);
    Span c = span("c", "b", "api", "GET /api", SpanKind.SERVER, 15, 385);
    Span d = span("d", "c", "db", "SELECT", SpanKind.CLIENT, 20, 340);
    baseline(a, 100);
    baseline(b, 80);
    baseline(c, 70);
    baseline(d, 20);
    List<BlamedSpan> blamed = blame(List.of(a, b, c, d), 5);
    assertThat(blamed).extracting(BlamedSpan::getSpanId).containsExactly("d");
    BlamedSpan top = blamed.get(0);
    assertThat(top.getBaselineP99Nanos()).isEqualTo(ms(20));
    assertThat(top.getExcessNanos()).isEqualTo(ms(300));
    assertThat(top.getRatio()).isEqualTo(16.0);
  }

  @Test
  void slowLeafIsBlamedWhenAnOperationBetweenHasNoBaselineYet() {
    Span a = span("a", null, "web", "GET /", SpanKind.SERVER, 0, 400);
    Span b = span("b", "a", "web", "GET /api", SpanKind.CLIENT, 10, 390);
    Span c = span("c", "b", "api", "GET /api", SpanKind.SERVER, 15, 385);
    Span d = span("d", "c", "db", "SELECT", SpanKind.CLIENT, 20, 340);
    baseline(a, 100);
    baseline(b, 70);  // excess 310: only 300 of it is d's, two levels down through c, which has no baseline
    baseline(d, 20);
    List<BlamedSpan> blamed = blame(List.of(a, b, c, d), 5);
    assertThat(blamed).extracting(BlamedSpan::getSpanId).containsExactly("d", "b");
    assertThat(blamed.get(0).getExcessNanos()).isEqualTo(ms(300));
  }

  @Test
  void parentKeepsTheExcessItsChildrenDoNotExplain() {
    Span a = span("a", null, "web", "GET /", SpanKind.SERVER, 0, 500);
    Span d = span("d", "a", "db", "SELECT", SpanKind.CLIENT, 10, 110);
    Span e = span("e", "a", "cache", "GET", SpanKind.CLIENT, 120, 170);
    baseline(a, 100);  // excess 400, of which d explains 50 and e 40
    baseline(d, 50);
    baseline(e, 10);
    List<BlamedSpan> blamed = blame(List.of(a, d, e), 5);
    assertThat(blamed).extracting(BlamedSpan::getSpanId).containsExactly("a", "d", "e");
    assertThat(blamed.get(0).getExcessNanos()).isEqualTo(ms(400));
  }

  @Test
  void maxEntriesCapsTheList() {
    Span a = span("a", null, "web", "GET /", SpanKind.SERVER, 0, 100);
    Span d = span("d", "a", "db", "SELECT", SpanKind.CLIENT, 10, 60);
    Span e = span("e", "a", "cache", "GET", SpanKind.CLIENT, 60, 90);
    baseline(d, 10);
    baseline(e, 10);
    assertThat(blame(List.of(a, d, e), 1)).extracting(BlamedSpan::getSpanId).containsExactly("d");
  }

  @Test
  void asyncConsumerExcessDoesNotExcuseItsProducer() {
    Span a = span("a", null, "shop", "POST /order", SpanKind.SERVER, 0, 100);
    Span p = span("p", "a", "shop", "send", SpanKind.PRODUCER, 10, 90);
    Span q = span("q", "p", "billing", "receive", SpanKind.CONSUMER, 95, 400);
    baseline(p, 5);
    baseline(q, 10);
    assertThat(blame(List.of(a, p, q), 5)).extracting(BlamedSpan::getSpanId).containsExactly("q", "p");
  }

  @Test
  void withoutBaselinesCriticalPathSelfTimeIsBlamed() {
    Span a = span("a", null, "web", "GET /", SpanKind.SERVER, 0, 100);
    Span d = span("d", "a", "db", "SELECT", SpanKind.CLIENT, 10, 80);
    Span e = span("e", "a", "cache", "GET", SpanKind.CLIENT, 0, 5);
    List<BlamedSpan> blamed = blame(List.of(a, d, e), 5);
    assertThat(blamed).extracting(BlamedSpan::getSpanId).containsExactly("d", "a", "e");
    assertThat(blamed.get(0).getBaselineP99Nanos()).isNull();
    assertThat(blamed.get(0).getExcessNanos()).isEqualTo(ms(70));
    assertThat(blamed.get(0).getRatio()).isEqualTo(0.7);
  }

  @Test
  void spansWithinTheirBaselineFallBackToCriticalPath() {
    Span a = span("a", null, "web", "GET /", SpanKind.SERVER, 0, 100);
    Span d = span("d", "a", "db", "SELECT", SpanKind.CLIENT, 10, 80);
    baseline(a, 200);
    baseline(d, 100);
    List<BlamedSpan> blamed = blame(List.of(a, d), 5);
    assertThat(blamed).extracting(BlamedSpan::getSpanId).containsExactly("d", "a");
    assertThat(blamed.get(0).getBaselineP99Nanos()).isEqualTo(ms(100));
  }
}
