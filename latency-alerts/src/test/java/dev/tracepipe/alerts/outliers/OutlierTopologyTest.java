package dev.tracepipe.alerts.outliers;

import static dev.tracepipe.latency.TestTraces.DB;
import static dev.tracepipe.latency.TestTraces.WEB;
import static dev.tracepipe.latency.TestTraces.failed;
import static dev.tracepipe.latency.TestTraces.id;
import static dev.tracepipe.latency.TestTraces.ms;
import static dev.tracepipe.latency.TestTraces.span;
import static dev.tracepipe.latency.TestTraces.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.BlamedSpan;
import dev.tracepipe.avro.CallDifference;
import dev.tracepipe.avro.CriticalPathSegment;
import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.OperationLatency;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.latency.LatencyDriver;
import dev.tracepipe.latency.OperationKey;
import dev.tracepipe.latency.TestTraces;
import dev.tracepipe.platform.sketch.LatencySketch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** Each outlier rule, storm control and trace versions through the whole topology. */
class OutlierTopologyTest {

  private static final Map<String, String> BASE = Map.of(
      "latency.rollups", "",
      "alerts.adaptive.k", "3",
      "alerts.adaptive.min-samples", "100");

  private static LatencyDriver driver(Map<String, String> extra) {
    Map<String, String> config = new HashMap<>(BASE);
    config.putAll(extra);
    return new LatencyDriver(config);
  }

  /** Publishes a baseline of `count` spans whose durations are spread up to p99Ms. */
  private static void baseline(LatencyDriver d, String key, long count, long p99Ms) {
    OperationKey op = OperationKey.decode(key);
    LatencySketch sketch = new LatencySketch();
    for (long i = 0; i < count; i++) {
      sketch.add(ms(p99Ms) * (i + 1) / count);
    }
    d.baselinesIn.pipeInput(key, OperationLatency.newBuilder().setService(op.service()).setOperation(op.operation())
        .setKind(op.kind()).setWindowStartMillis(0).setWindowEndMillis(60_000).setLatency(sketch.toSummary())
        .build());
  }

  /** web GET / → auth check ×authCalls → db SELECT taking dbMs; the root lasts as long as its children. */
  private static Trace request(String traceId, long startMs, int authCalls, long dbMs) {
    return TestTraces.request(traceId, "GET /", startMs, authCalls, dbMs);
  }

  @Test
  void adaptiveRuleAlertsAboveKTimesP99OnceTheBaselineIsBigEnough() {
    try (LatencyDriver d = driver(Map.of())) {
      baseline(d, WEB, 1000, 40);
      baseline(d, DB, 1000, 20);
      d.pipe(request(id(1), 0, 2, 100)); // 112 ms < 3 × 40 ms
      assertThat(d.alerts()).isEmpty();
      d.pipe(request(id(2), 1000, 2, 300)); // 312 ms
      List<KeyValue<String, LatencyAlert>> alerts = d.alerts();
      assertThat(alerts).hasSize(1);
      LatencyAlert alert = alerts.get(0).value;
      assertThat(alerts.get(0).key).isEqualTo(id(2));
      assertThat(alert.getRule().getType()).isEqualTo(AlertRuleType.ADAPTIVE_BASELINE);
      assertThat((double) alert.getRule().getThresholdNanos()).isCloseTo(ms(120),
          org.assertj.core.data.Percentage.withPercentage(1.1));
      assertThat(alert.getDurationNanos()).isEqualTo(ms(312));
      assertThat(alert.getBaseline().getSampleCount()).isEqualTo(1000);
      assertThat(alert.getBlame()).extracting(BlamedSpan::getService, BlamedSpan::getOperation)
          .first().isEqualTo(org.assertj.core.groups.Tuple.tuple("db", "SELECT"));
      assertThat(alert.getCriticalPath()).extracting(CriticalPathSegment::getService)
          .containsExactly("web", "auth", "auth", "db");
      assertThat(alert.getCriticalPath().get(3).getSelfTimeNanos()).isEqualTo(ms(300));
      assertThat(alert.getSuppressedCount()).isZero();
      assertThat(d.counter("tracepipe.alerts.emitted", "rule", "ADAPTIVE_BASELINE")).isEqualTo(1.0);
    }
  }

  @Test
  void adaptiveRuleStaysQuietBelowTheMinimumSampleCount() {
    try (LatencyDriver d = driver(Map.of())) {
      baseline(d, WEB, 99, 40);
      d.pipe(request(id(1), 0, 2, 1000));
      assertThat(d.alerts()).isEmpty();
    }
  }

  @Test
  void sloRuleAlertsWithoutAnyBaselineAndBlamesTheCriticalPath() {
    try (LatencyDriver d = driver(Map.of("alerts.slo.web.GET /", "100ms"))) {
      d.pipe(request(id(1), 0, 2, 80)); // 92 ms
      assertThat(d.alerts()).isEmpty();
      d.pipe(request(id(2), 1000, 2, 120)); // 132 ms
      LatencyAlert alert = d.alerts().get(0).value;
      assertThat(alert.getRule().getType()).isEqualTo(AlertRuleType.SLO);
      assertThat(alert.getRule().getThresholdNanos()).isEqualTo(ms(100));
      assertThat(alert.getRule().getDescription()).isEqualTo("duration 132.0ms > SLO 100.0ms");
      assertThat(alert.getBaseline()).isNull();
      BlamedSpan top = alert.getBlame().get(0);
      assertThat(top.getService()).isEqualTo("db");
      assertThat(top.getBaselineP99Nanos()).isNull();
      assertThat(top.getExcessNanos()).isEqualTo(ms(120));
    }
  }

  @Test
  void errorTracesAlertOnlyWhenEnabled() {
    Trace withError = trace(id(1), 1, TraceCompletion.INACTIVITY_GAP, List.of(
        span("r1", null, "web", "GET /", SpanKind.SERVER, 0, 20),
        failed(span("d1", "r1", "db", "SELECT", SpanKind.CLIENT, 1, 10))));
    try (LatencyDriver d = driver(Map.of())) {
      d.pipe(withError);
      assertThat(d.alerts()).isEmpty();
    }
    try (LatencyDriver d = driver(Map.of("alerts.error-traces", "true"))) {
      d.pipe(withError);
      LatencyAlert alert = d.alerts().get(0).value;
      assertThat(alert.getRule().getType()).isEqualTo(AlertRuleType.ERROR);
      assertThat(alert.getErrorCount()).isEqualTo(1);
    }
  }

  @Test
  void stormControlCapsAlertsPerOperationAndWindowAndCarriesTheSuppressedCount() {
    try (LatencyDriver d = driver(Map.of("alerts.slo.web.GET /", "10ms",
        "alerts.storm.max-per-window", "2", "alerts.storm.window", "1m"))) {
      for (int i = 0; i < 5; i++) {
        d.pipe(request(id(i), i * 1000L, 1, 50));
      }
      List<KeyValue<String, LatencyAlert>> first = d.alerts();
      assertThat(first).extracting(kv -> kv.key).containsExactly(id(0), id(1));
      assertThat(d.counter("tracepipe.alerts.suppressed")).isEqualTo(3.0);
      d.pipe(request(id(10), 61_000, 1, 50));
      d.pipe(request(id(11), 62_000, 1, 50));
      List<KeyValue<String, LatencyAlert>> next = d.alerts();
      assertThat(next).extracting(kv -> kv.key).containsExactly(id(10), id(11));
      assertThat(next).extracting(kv -> kv.value.getSuppressedCount()).containsExactly(3L, 0L);
    }
  }

  @Test
  void aLaterVersionWithTheSameVerdictIsNotAlertedAgain() {
    try (LatencyDriver d = driver(Map.of("alerts.slo.web.GET /", "100ms"))) {
      Trace v1 = request(id(1), 0, 2, 200);
      d.pipe(v1);
      List<Span> withLate = new ArrayList<>(v1.getSpans());
      withLate.add(span("late", "r" + id(1).substring(28), "cache", "GET", SpanKind.CLIENT, 5, 6));
      d.pipe(trace(id(1), 2, TraceCompletion.LATE_UPDATE, withLate));
      assertThat(d.alerts()).extracting(kv -> kv.value.getTraceVersion()).containsExactly(1);
      assertThat(d.counter("tracepipe.alerts.repeated")).isEqualTo(1.0);
    }
  }

  @Test
  void aLaterVersionWhoseVerdictChangesIsAlertedAgain() {
    try (LatencyDriver d = driver(Map.of("alerts.error-traces", "true"))) {
      baseline(d, WEB, 1000, 40);
      // Version 1 lacks the root: the failed orphan is judged on its own, by the error rule.
      Span orphan = failed(span("d1", "r1", "db", "SELECT", SpanKind.CLIENT, 10, 20));
      d.pipe(trace(id(1), 1, TraceCompletion.INACTIVITY_GAP, List.of(orphan)));
      // Version 2 brings the slow root: now the adaptive rule is the verdict.
      d.pipe(trace(id(1), 2, TraceCompletion.LATE_UPDATE,
          List.of(span("r1", null, "web", "GET /", SpanKind.SERVER, 0, 500), orphan)));
      List<KeyValue<String, LatencyAlert>> alerts = d.alerts();
      assertThat(alerts).extracting(kv -> kv.value.getRule().getType())
          .containsExactly(AlertRuleType.ERROR, AlertRuleType.ADAPTIVE_BASELINE);
      assertThat(alerts.get(1).value.getTraceVersion()).isEqualTo(2);
    }
  }

  @Test
  void lateFragmentsAreNotJudged() {
    try (LatencyDriver d = driver(Map.of("alerts.slo.db.SELECT", "1ms"))) {
      d.pipe(trace(id(1), 3, TraceCompletion.LATE_FRAGMENT,
          List.of(span("d1", "r1", "db", "SELECT", SpanKind.CLIENT, 10, 200))));
      assertThat(d.alerts()).isEmpty();
      assertThat(d.counter("tracepipe.alerts.traces.skipped", "reason", "late_fragment")).isEqualTo(1.0);
    }
  }

  @Test
  void structuralDifferenceNamesTheMissingCall() {
    try (LatencyDriver d = driver(Map.of("alerts.slo.web.GET /", "100ms",
        "alerts.shape.min-samples", "20"))) {
      for (int i = 0; i < 30; i++) {
        d.pipe(request(id(i), i * 100L, 2, 10));
      }
      assertThat(d.alerts()).isEmpty();
      d.pipe(request(id(99), 5000, 1, 200));
      LatencyAlert alert = d.alerts().get(0).value;
      assertThat(alert.getStructuralDiff()).hasSize(1);
      CallDifference diff = alert.getStructuralDiff().get(0);
      assertThat(diff.getService()).isEqualTo("auth");
      assertThat(diff.getOperation()).isEqualTo("check");
      assertThat(diff.getExpectedCalls()).isEqualTo(2.0);
      assertThat(diff.getActualCalls()).isEqualTo(1);
    }
  }

  @Test
  void baselinesPublishedByTheTopologyFeedTheAdaptiveRule() {
    try (LatencyDriver d = driver(Map.of("alerts.adaptive.min-samples", "50"))) {
      for (int i = 0; i < 60; i++) {
        d.pipe(request(id(i), i * 500L, 2, 20 + i % 5));
      }
      d.pipe(request(id(100), 61_000, 2, 20)); // closes the first minute: its baseline is published
      assertThat(d.baselines.readKeyValuesToList()).extracting(kv -> kv.key).contains(WEB, DB);
      assertThat(d.alerts()).isEmpty();
      d.pipe(request(id(101), 62_000, 2, 400));
      LatencyAlert alert = d.alerts().get(0).value;
      assertThat(alert.getRule().getType()).isEqualTo(AlertRuleType.ADAPTIVE_BASELINE);
      assertThat(alert.getBaseline().getSampleCount()).isEqualTo(60);
      assertThat(alert.getBlame().get(0).getOperation()).isEqualTo("SELECT");
      assertThat(alert.getBlame().get(0).getBaselineP99Nanos()).isNotNull();
    }
  }
}
