package dev.tracepipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.ingest.IngestSettings;
import dev.tracepipe.ingest.ReceiverSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's logic without the screen: real broker, registry, stages and traffic, a fault early on. */
class DemoIT {
  @TempDir
  Path dataDir;

  @Test
  void panelsShowNumbersAndAlertsBlameTheFaultedService() throws Exception {
    DemoOptions options = DemoCommand.parse("--fault", "slow-host:payment", "--fault-after",
        "20s", "--data-dir", dataDir.toString(), "--kafka-port", port(), "--controller-port", port(),
        "--registry-port", port(), "--http-port", port());
    long started = System.nanoTime();
    AtomicReference<DemoSnapshot> last = new AtomicReference<>();
    try (Demo demo = Demo.start(options, Map.of(IngestSettings.OTLP_PORT.key(), port(),
        IngestSettings.ZIPKIN_PORT.key(), port(), ReceiverSettings.GRPC_PORT, port()))) {
      await("three panels with numbers").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
          .until(() -> {
            DemoSnapshot s = demo.snapshot();
            last.set(s);
            return s.traces().count() > 0 && s.traces().latest() != null && s.traces().tracesOutPerSecond() > 0
                && s.traces().spansInPerSecond() > 0
                && s.edges().rows().stream().anyMatch(e -> e.calls() > 0 && e.p99Nanos() > 0)
                && s.slowest().rows().stream().anyMatch(o -> o.count() > 0 && o.p99Nanos() > 0);
          });
      System.out.printf("panels (a)-(c) had numbers %.0f s after start:%n%s", (System.nanoTime() - started) / 1e9,
          DemoScreen.render(last.get()));
      // Before the fault, the shop's own tail (images waits on an object store) draws a few alerts; once payment's
      // host is slow, payment must overtake every other service as the one blamed first.
      await("alerts blaming payment most often").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> {
            DemoSnapshot s = demo.snapshot();
            last.set(s);
            Map<String, Long> blames = s.alerts().topBlames();
            long payment = blames.getOrDefault("payment", 0L);
            assertThat(payment).as("payment is blamed first most often: %s", blames).isGreaterThanOrEqualTo(2);
            assertThat(blames).as("payment is blamed first most often").allSatisfy((service, count) -> {
              if (!service.equals("payment")) {
                assertThat(count).as("%s against payment's %d", service, payment).isLessThan(payment);
              }
            });
          });
      DemoSnapshot s = last.get();
      System.out.printf("alerts after %.0f s:%n%s", (System.nanoTime() - started) / 1e9, DemoScreen.render(s));
      LatencyAlert newest = s.alerts().latest().get(0);
      assertThat(newest.getDurationNanos()).isGreaterThan(newest.getRule().getThresholdNanos());
      // Panel (d) keeps the slow host firing while the fault lasts.
      await("payment's slow host firing").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> assertThat(demo.snapshot().alerts().firing()).anySatisfy(a -> {
            assertThat(a.getRule().getType()).isEqualTo(dev.tracepipe.avro.AlertRuleType.HOST_OUTLIER);
            assertThat(a.getRootService()).isEqualTo("payment");
          }));
    }
  }

  private static String port() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return String.valueOf(socket.getLocalPort());
    }
  }
}
