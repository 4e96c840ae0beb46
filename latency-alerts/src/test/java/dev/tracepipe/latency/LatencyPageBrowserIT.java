package dev.tracepipe.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.BrowserScript;
import dev.tracepipe.tracestore.TraceStoreStage;
import dev.tracepipe.workload.Fault;
import dev.tracepipe.workload.SimulatedSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * tracepipe's page in headless Chromium, served with Zipkin Lens by one process on a real broker: one payment host
 * ten times slower shows as a firing HOST_OUTLIER, slow traces with their critical path and blame link to Lens, and the
 * operations table and the comparison by host and by version fill in. Skipped without chromium, node or
 * playwright-core, unless CI=true.
 */
class LatencyPageBrowserIT {
  private static final Path BROWSER_DIR = Path.of("../trace-store/src/test/browser");
  private static final long WINDOW_MS = 2_000;

  @Test
  void pageShowsTheSlowHostItsTracesAndTheComparison() throws Exception {
    BrowserScript browser = new BrowserScript(BROWSER_DIR).require();
    SimulatedSystem system = new SimulatedSystem(42);
    String slowHost = system.slowHostOf("payment");
    try (LatencyCluster.Backend backend = LatencyCluster.Backend.start()) {
      var config = backend.config(Map.of(
          LatencySettings.WINDOW.key(), "2s",
          LatencySettings.GRACE.key(), "1s",
          LatencySettings.ROLLUPS.key(), "10s",
          LatencySettings.ADAPTIVE_K.key(), "1.5",
          LatencySettings.ADAPTIVE_MIN_SAMPLES.key(), "20",
          dev.tracepipe.alerts.peers.PeerSettings.MIN_SAMPLES.key(), "10"));
      try (LatencyCluster.Instance instance = LatencyCluster.Instance.start(config, new TraceStoreStage());
          KafkaProducer<String, Trace> producer = backend.cluster().producer(new StringSerializer(),
              Topics.TRACES.valueSerde(config.serdeConfig()).serializer())) {
        instance.awaitRunning();
        long base = System.currentTimeMillis() / 10_000 * 10_000;
        Fault fault = Fault.parse("slow-host:payment");
        LatencyCluster.checkouts(system, producer, base, WINDOW_MS, 0, 12, w -> {
          if (w == 4) system.faults().activate(fault);
        }, List.of(instance));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
          assertThat(instance.get("/api/alerts/firing").get("firing").findValuesAsText("value")).contains(slowHost);
          JsonNode recent = instance.get("/api/alerts/recent").get("alerts");
          assertThat(recent.findValuesAsText("traceId")).isNotEmpty();
        });

        Path shots = Path.of(System.getenv().getOrDefault("PAGE_SCREENSHOTS", "target/page-screenshots"));
        String output = browser.run("latency-page.mjs", List.of(instance.http().baseUrl(), slowHost,
            shots.toAbsolutePath().toString()), Duration.ofMinutes(4));
        assertThat(output).contains("ok page-1-firing", "ok page-2-recent", "ok page-3-operations",
            "ok page-4-compare", "ok page-5-lens");
        assertThat(output).containsPattern("lens-link /zipkin/traces/[0-9a-f]{16,32}");
      }
    }
  }
}
