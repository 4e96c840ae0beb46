package dev.tracepipe.latency;

import static dev.tracepipe.latency.TestTraces.id;
import static dev.tracepipe.latency.TestTraces.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.SpanKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The caps on distinct operations, storm gates and call shapes: what goes beyond each, and what counts it. */
class LatencyCapsTest {

  private static LatencyDriver driver(Map<String, String> extra) {
    Map<String, String> config = new HashMap<>(Map.of(LatencySettings.ROLLUPS.key(), "",
        LatencySettings.DIMENSIONS.key(), ""));
    config.putAll(extra);
    return new LatencyDriver(config);
  }

  @Test
  void operationsBeyondTheCapAreCountedAsTheirServicesOverflowOperation() {
    try (LatencyDriver d = driver(Map.of(LatencySettings.MAX_OPERATIONS.key(), "3"))) {
      for (int i = 0; i < 5; i++) {
        d.pipe(request(id(i), "GET /" + i, i * 100L, 0, 1)); // web GET /i and db SELECT
      }
      d.pipe(request(id(9), "GET /0", 61_000, 0, 1)); // closes the first minute
      Map<String, Long> counts = d.latency.readValuesToList().stream()
          .filter(w -> w.getWindowStartMillis() < TestTraces.EPOCH_MILLIS + 60_000 && w.getDimensions().isEmpty())
          .collect(Collectors.toMap(w -> w.getService() + " " + w.getOperation(), w -> w.getLatency().getCount()));
      // The first three distinct operations keep their names; every later new one joins web's overflow bucket.
      assertThat(counts).containsOnly(Map.entry("web GET /0", 1L), Map.entry("db SELECT", 5L),
          Map.entry("web GET /1", 1L), Map.entry("web " + LatencyAccumulator.OVERFLOW, 3L));
      assertThat(d.counter("tracepipe.latency.operations.overflow")).isEqualTo(3.0);
    }
  }

  @Test
  void operationsAreAdmittedAfreshInEachWindow() {
    OperationCap cap = new OperationCap(1, 60_000);
    OperationKey a = new OperationKey("web", "a", SpanKind.SERVER);
    OperationKey b = new OperationKey("web", "b", SpanKind.SERVER);
    assertThat(cap.admit(a, 0)).isSameAs(a);
    assertThat(cap.admit(b, 10).operation()).isEqualTo(LatencyAccumulator.OVERFLOW);
    assertThat(cap.admit(a, 20)).isSameAs(a);
    assertThat(cap.admit(b, 60_000)).isSameAs(b);
    // A late sample of an older window does not start that window over.
    assertThat(cap.admit(a, 30).operation()).isEqualTo(LatencyAccumulator.OVERFLOW);
  }

  @Test
  void rootOperationsBeyondTheStormCapShareOneGate() {
    try (LatencyDriver d = driver(Map.of("alerts.slo.web.*", "10ms",
        LatencySettings.STORM_MAX_PER_WINDOW.key(), "1", LatencySettings.STORM_MAX_ROOTS.key(), "1"))) {
      for (int i = 0; i < 6; i++) {
        d.pipe(request(id(i), "GET /" + (i % 3), i * 100L, 1, 50));
      }
      // GET /0 has a gate of its own; GET /1 and GET /2 share the overflow gate, which lets one of them through.
      assertThat(d.alerts()).extracting(kv -> kv.value.getRootOperation()).containsExactly("GET /0", "GET /1");
      assertThat(d.counter("tracepipe.alerts.storm.overflow")).isEqualTo(4.0);
      assertThat(d.counter("tracepipe.alerts.suppressed")).isEqualTo(4.0);
    }
  }

  @Test
  void rootOperationsBeyondTheShapeCapAreJudgedWithoutAUsualShape() {
    try (LatencyDriver d = driver(Map.of("alerts.slo.web.*", "100ms",
        LatencySettings.SHAPE_MIN_SAMPLES.key(), "20", LatencySettings.SHAPE_MAX_ROOTS.key(), "1"))) {
      for (int i = 0; i < 30; i++) {
        d.pipe(request(id(i), "GET /a", i * 100L, 2, 10));
        d.pipe(request(id(100 + i), "GET /b", i * 100L + 50, 2, 10));
      }
      assertThat(d.alerts()).isEmpty();
      d.pipe(request(id(200), "GET /a", 5000, 1, 200));
      d.pipe(request(id(201), "GET /b", 5100, 1, 200));
      List<LatencyAlert> alerts = d.alerts().stream().map(kv -> kv.value).toList();
      assertThat(alerts).extracting(LatencyAlert::getRootOperation).containsExactly("GET /a", "GET /b");
      assertThat(alerts.get(0).getStructuralDiff()).singleElement()
          .satisfies(diff -> assertThat(diff.getOperation()).isEqualTo("check"));
      assertThat(alerts.get(1).getStructuralDiff()).isEmpty();
      assertThat(alerts.get(1).getBlame()).isNotEmpty();
      assertThat(d.counter("tracepipe.alerts.shapes.overflow")).isEqualTo(31.0);
    }
  }
}
