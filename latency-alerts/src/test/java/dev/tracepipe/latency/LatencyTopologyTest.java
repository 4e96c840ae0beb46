package dev.tracepipe.latency;

import static dev.tracepipe.latency.TestTraces.DB;
import static dev.tracepipe.latency.TestTraces.EPOCH_MILLIS;
import static dev.tracepipe.latency.TestTraces.WEB;
import static dev.tracepipe.latency.TestTraces.failed;
import static dev.tracepipe.latency.TestTraces.id;
import static dev.tracepipe.latency.TestTraces.ms;
import static dev.tracepipe.latency.TestTraces.span;
import static dev.tracepipe.latency.TestTraces.trace;
import static dev.tracepipe.latency.TestTraces.withResource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.LatencySummary;
import dev.tracepipe.avro.OperationLatency;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.testkit.GoldenFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** Percentiles, rollups, dimensions and baselines through the whole topology. */
class LatencyTopologyTest {

  /** web GET / calling db SELECT once, starting at startMs. */
  static Trace request(String traceId, long startMs, long rootMs, long dbMs) {
    return trace(traceId, 1, TraceCompletion.INACTIVITY_GAP, List.of(
        span("r" + traceId.substring(0, 4), null, "web", "GET /", SpanKind.SERVER, startMs, startMs + rootMs),
        span("d" + traceId.substring(0, 4), "r" + traceId.substring(0, 4), "db", "SELECT", SpanKind.CLIENT,
            startMs + 1, startMs + 1 + dbMs)));
  }

  @Test
  void percentilesPerOperationAreEmittedWhenTheWindowCloses() {
    try (LatencyDriver d = new LatencyDriver(Map.of("latency.rollups", ""))) {
      d.pipe(request(id(1), 0, 100, 50));
      d.pipe(trace(id(2), 1, TraceCompletion.INACTIVITY_GAP, List.of(
          span("r2", null, "web", "GET /", SpanKind.SERVER, 30_000, 30_200),
          failed(span("d2", "r2", "db", "SELECT", SpanKind.CLIENT, 30_010, 30_050)))));
      assertThat(d.latency.isEmpty()).isTrue();

      d.pipe(request(id(3), 65_000, 10, 5));
      Map<String, OperationLatency> closed = d.latency.readKeyValuesToList().stream()
          .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value));
      assertThat(closed.keySet()).containsExactlyInAnyOrder(WEB, DB);
      OperationLatency web = closed.get(WEB);
      assertThat(web.getService()).isEqualTo("web");
      assertThat(web.getOperation()).isEqualTo("GET /");
      assertThat(web.getKind()).isEqualTo(SpanKind.SERVER);
      assertThat(web.getWindowStartMillis()).isEqualTo(EPOCH_MILLIS);
      assertThat(web.getWindowEndMillis()).isEqualTo(EPOCH_MILLIS + 60_000);
      assertThat(web.getErrorCount()).isZero();
      LatencySummary s = web.getLatency();
      assertThat(s.getCount()).isEqualTo(2);
      assertThat(s.getMinNanos()).isEqualTo(ms(100));
      assertThat(s.getMaxNanos()).isEqualTo(ms(200));
      assertThat(s.getMeanNanos()).isEqualTo(ms(150));
      // the value at rank floor(q (n - 1)), DDSketch's definition: of two values, p99 is the lower one
      assertThat((double) s.getP99Nanos()).isCloseTo(ms(100), org.assertj.core.data.Percentage.withPercentage(1));
      assertThat(s.getSketch().remaining()).isPositive();
      assertThat(closed.get(DB).getErrorCount()).isEqualTo(1);
      assertThat(closed.get(DB).getLatency().getCount()).isEqualTo(2);
    }
  }

  @Test
  void rollupsMergeTheFinerWindows() {
    try (LatencyDriver d = new LatencyDriver(Map.of("latency.rollups", "5m"))) {
      for (int minute = 0; minute < 5; minute++) {
        for (int i = 0; i <= minute; i++) {
          d.pipe(request(id(minute * 10 + i), minute * 60_000L + i * 1000L, 10 + minute * 10, 5));
        }
      }
      d.pipe(request(id(100), 5 * 60_000L + 1, 1, 1));
      d.pipe(request(id(101), 6 * 60_000L + 1, 1, 1)); // closes 5:00-6:00, whose start closes the 5m window
      List<OperationLatency> web = d.latency.readValuesToList().stream()
          .filter(l -> l.getService().equals("web")).toList();
      assertThat(web).extracting(l -> (l.getWindowEndMillis() - l.getWindowStartMillis()) / 1000)
          .containsExactly(60L, 60L, 60L, 60L, 60L, 60L, 300L);
      OperationLatency rollup = web.get(6);
      assertThat(rollup.getWindowStartMillis()).isEqualTo(EPOCH_MILLIS);
      assertThat(rollup.getLatency().getCount()).isEqualTo(1 + 2 + 3 + 4 + 5);
      assertThat(rollup.getLatency().getMinNanos()).isEqualTo(ms(10));
      assertThat(rollup.getLatency().getMaxNanos()).isEqualTo(ms(50));
    }
  }

  @Test
  void aLaterTraceVersionCountsOnlyItsNewSpans() {
    try (LatencyDriver d = new LatencyDriver(Map.of("latency.rollups", ""))) {
      Span root = span("r1", null, "web", "GET /", SpanKind.SERVER, 0, 100);
      Span db = span("d1", "r1", "db", "SELECT", SpanKind.CLIENT, 10, 60);
      Span late = span("d2", "r1", "db", "SELECT", SpanKind.CLIENT, 60, 90);
      d.pipe(trace(id(1), 1, TraceCompletion.INACTIVITY_GAP, List.of(root, db)));
      d.pipe(trace(id(1), 2, TraceCompletion.LATE_UPDATE, List.of(root, db, late)));
      d.pipe(trace(id(1), 2, TraceCompletion.LATE_UPDATE, List.of(root, db, late))); // redelivered
      d.pipe(request(id(2), 70_000, 1, 1));
      Map<String, Long> counts = d.latency.readKeyValuesToList().stream()
          .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value.getLatency().getCount()));
      assertThat(counts).containsEntry(WEB, 1L).containsEntry(DB, 2L);
      assertThat(d.counter("tracepipe.latency.spans.repeated")).isEqualTo(5.0);
    }
  }

  @Test
  void extraDimensionsAreCappedIntoAnOverflowBucket() {
    try (LatencyDriver d = new LatencyDriver(Map.of("latency.rollups", "",
        "latency.dimensions", "service.version",
        "latency.dimensions.max-combinations", "2"))) {
      String[] versions = {"1.0", "1.1", "1.0", "2.0", "3.0"};
      for (int i = 0; i < versions.length; i++) {
        Span root = withResource(span("r" + i, null, "web", "GET /", SpanKind.SERVER, i * 1000L, i * 1000L + 10),
            Map.of("service.version", versions[i]));
        d.pipe(trace(id(i), 1, TraceCompletion.INACTIVITY_GAP, List.of(root)));
      }
      d.pipe(request(id(99), 61_000, 1, 1));
      Map<String, Long> byVersion = d.latency.readValuesToList().stream()
          .filter(l -> l.getService().equals("web"))
          .collect(Collectors.toMap(l -> l.getDimensions().getOrDefault("service.version", "(all)"),
              l -> l.getLatency().getCount()));
      assertThat(byVersion).containsExactlyInAnyOrderEntriesOf(Map.of(
          "(all)", 5L, "1.0", 2L, "1.1", 1L, LatencyAccumulator.OVERFLOW, 2L));
      assertThat(d.counter("tracepipe.latency.dimension.overflow")).isEqualTo(2.0);
    }
  }

  @Test
  void baselinesMergeTheRecentWindowsOfEachOperation() {
    try (LatencyDriver d = new LatencyDriver(Map.of("latency.rollups", "",
        "latency.baseline.windows", "2"))) {
      for (int minute = 0; minute < 4; minute++) {
        d.pipe(request(id(minute), minute * 60_000L, 100 * (minute + 1), 5));
      }
      List<KeyValue<String, OperationLatency>> published = d.baselines.readKeyValuesToList().stream()
          .filter(kv -> kv.key.equals(WEB)).toList();
      assertThat(published).hasSize(3);
      OperationLatency latest = published.get(2).value;
      assertThat(latest.getWindowStartMillis()).isEqualTo(EPOCH_MILLIS + 60_000);
      assertThat(latest.getWindowEndMillis()).isEqualTo(EPOCH_MILLIS + 180_000);
      assertThat(latest.getLatency().getCount()).isEqualTo(2);
      assertThat(latest.getLatency().getMinNanos()).isEqualTo(ms(200));
      assertThat(latest.getLatency().getMaxNanos()).isEqualTo(ms(300));
    }
  }

  @Test
  void describeMatchesTheGoldenFile() throws Exception {
    try (LatencyDriver d = new LatencyDriver(Map.of("latency.grace", "30s"))) {
      GoldenFile.assertMatches(Path.of("src/test/resources/latency-topology.txt"), d.topology.describe().toString());
    }
  }
}
