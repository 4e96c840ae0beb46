package dev.tracepipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.testkit.TestRecords;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoScreenTest {

  @Test
  void drawsEveryPanelWithItsNumbers() {
    DemoSnapshot snapshot = new DemoSnapshot(Duration.ofSeconds(75), "slow-host:payment is ON",
        new DemoSnapshot.Traces(6_401, 2_179.4, 100.5,
            new DemoFeed.LatestTrace("4bf92f3577b34da6a3ce929d0e0e4736", "gateway", "POST /checkout", 28, 151_000_000L)),
        new DemoSnapshot.Panel<>(List.of(new DemoQueries.Edge("catalog", "inventory", "RPC", 9_288, 14, 1_700_000L)),
            null),
        new DemoSnapshot.Panel<>(List.of(new DemoQueries.OperationLatency("payment", "POST /payments", 107,
            13_000_000L, 1_440_000_000L, 0)), null),
        new DemoSnapshot.Alerts(7, List.of(TestRecords.alert("t1", 0, "payment")), Map.of("payment", 6L, "cart", 1L)));

    String screen = DemoScreen.render(snapshot);

    assertThat(screen).contains("tracepipe demo  01:15  fault: slow-host:payment is ON")
        .contains("6,401 traces   2,179 spans/s in   100.5 traces/s out")
        .contains("latest: gateway POST /checkout, 28 spans, 151 ms (trace 4bf92f3577b34da6a3ce929d0e0e4736)")
        .containsPattern("catalog -> inventory \\(rpc\\) +9,288 +14 +1\\.7 ms")
        .containsPattern("payment  POST /payments +107 +13 ms +1\\.44 s")
        .contains("7 so far; blamed first: payment 6, cart 1")
        .contains("ADAPTIVE_BASELINE gateway POST /checkout, 1.92 s > 640 ms; blame payment POST /payments (+1.20 s)");
  }

  @Test
  void emptyPanelsSayWhy() {
    String screen = DemoScreen.render(new DemoSnapshot(Duration.ZERO, "no fault", new DemoSnapshot.Traces(0, 0, 0, null),
        new DemoSnapshot.Panel<>(List.of(), "GET /api/dependencies answered 503"),
        new DemoSnapshot.Panel<>(List.of(), null), new DemoSnapshot.Alerts(0, List.of(), Map.of())));

    assertThat(screen).contains("waiting for the first trace").contains("waiting: GET /api/dependencies answered 503")
        .contains("no server spans measured yet").contains("none yet: alerts need a baseline");
  }

  @Test
  void firingHostAlertStaysOnTopWithHowLongItHeldAndThePageUrl() {
    dev.tracepipe.avro.LatencyAlert firing = dev.tracepipe.avro.LatencyAlert.newBuilder(TestRecords.alert("", 0, "payment"))
        .setAlertId("HOST_OUTLIER|payment|POST /payments|SERVER|host.name=payment-1|LATENCY")
        .setRootService("payment").setRootOperation("POST /payments").setHeldForMillis(42_000)
        .setRule(new dev.tracepipe.avro.AlertRule(dev.tracepipe.avro.AlertRuleType.HOST_OUTLIER,
            "host.name payment-1: self time p50 30ms p99 60ms, 10.0× the median of 3 other hosts", 0L))
        .build();
    String screen = DemoScreen.render(new DemoSnapshot(Duration.ZERO, "slow-host:payment is ON",
        new DemoSnapshot.Traces(0, 0, 0, null), new DemoSnapshot.Panel<>(List.of(), null),
        new DemoSnapshot.Panel<>(List.of(), null), new DemoSnapshot.Alerts(0, List.of(), Map.of(), List.of(firing)),
        "http://localhost:9411/"));

    assertThat(screen).contains("page: http://localhost:9411/")
        .containsPattern("FIRING HOST_OUTLIER +for +42s +payment POST /payments: host.name payment-1");
  }
}
