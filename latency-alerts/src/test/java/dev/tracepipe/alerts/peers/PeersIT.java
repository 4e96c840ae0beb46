package dev.tracepipe.alerts.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.AlertStatus;
import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.OperationLatency;
import dev.tracepipe.avro.PeerMeasure;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.latency.LatencyCluster;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.workload.Fault;
import dev.tracepipe.workload.SimulatedSystem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The simulated shop's checkouts through two instances of the stage on a real broker: a host ten times slower keeps a
 * HOST_OUTLIER firing for the whole fault and resolves after it; a release four times slower raises a
 * RELEASE_REGRESSION naming both versions; the same seed without faults raises no peer alert.
 */
class PeersIT {

  private static final long SEED = 42;
  private static final long WINDOW_MS = 2_000;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void slowHostFiresForTheWholeFaultThenResolves() throws Exception {
    SimulatedSystem system = new SimulatedSystem(SEED);
    String slowHost = system.slowHostOf("payment");
    Fault fault = Fault.parse("slow-host:payment");
    int faultFrom = 4;
    int faultUntil = 12;
    try (Run run = Run.start()) {
      java.util.function.IntConsumer faults = w -> {
        if (w == faultFrom) {
          system.faults().activate(fault);
        } else if (w == faultUntil) {
          system.faults().deactivate(fault);
        }
      };
      run.traffic(system, 0, faultUntil, faults);
      // While the fault lasts, the page's API lists the slow host as firing, whichever instance is asked.
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        JsonNode firing = run.get(run.a, "/api/alerts/firing").get("firing");
        assertThat(firing.findValuesAsText("value")).contains(slowHost);
        assertThat(firing.findValuesAsText("rule")).containsOnly("HOST_OUTLIER");
        assertThat(run.get(run.b, "/api/alerts/firing").get("firing").findValuesAsText("alertId"))
            .containsExactlyInAnyOrderElementsOf(firing.findValuesAsText("alertId"));
      });
      run.traffic(system, faultUntil, 18, faults);
      long faultStart = run.base + faultFrom * WINDOW_MS;
      long faultEnd = run.base + faultUntil * WINDOW_MS;
      List<LatencyAlert> alerts = run.peerAlertsUntil(
          a -> a.getStatus() == AlertStatus.RESOLVED && a.getRule().getType() == AlertRuleType.HOST_OUTLIER);

      assertThat(alerts).allSatisfy(a -> {
        assertThat(a.getRule().getType()).isEqualTo(AlertRuleType.HOST_OUTLIER);
        assertThat(a.getPeers().getValue()).isEqualTo(slowHost);
        assertThat(a.getPeers().getDimension()).isEqualTo("host.name");
      });
      List<LatencyAlert> payments = alerts.stream()
          .filter(a -> a.getRootOperation().equals("POST /payments") && a.getPeers().getMeasure() == PeerMeasure.LATENCY)
          .toList();
      List<LatencyAlert> firing = payments.stream().filter(a -> a.getStatus() == AlertStatus.FIRING).toList();
      List<LatencyAlert> resolved = payments.stream().filter(a -> a.getStatus() == AlertStatus.RESOLVED).toList();
      assertThat(firing).isNotEmpty();
      assertThat(firing.get(0).getFirstSeenMillis()).isBetween(faultStart, faultStart + 2 * WINDOW_MS);
      assertThat(firing.get(0).getPeers().getSubject().getSelfP99Nanos())
          .isGreaterThan(3 * firing.get(0).getPeers().getPeers().getSelfP99Nanos());
      // Re-sent while it holds: the last firing record is at most one repeat interval and a window before the end.
      assertThat(firing.get(firing.size() - 1).getPeers().getWindowEndMillis())
          .isGreaterThanOrEqualTo(faultEnd - 4_000 - WINDOW_MS);
      assertThat(firing).extracting(LatencyAlert::getHeldForMillis).isSorted();
      // One condition from start to end: resolved once, within two windows after the fault ended.
      assertThat(resolved).singleElement().satisfies(r -> {
        assertThat(r.getStartTimeNanos() / 1_000_000L).isBetween(faultEnd, faultEnd + 2 * WINDOW_MS);
        assertThat(r.getHeldForMillis()).isGreaterThanOrEqualTo(faultEnd - faultStart - 2 * WINDOW_MS);
      });

      JsonNode compare = run.get(run.b, "/api/latency/compare?service=payment&by=host.name&endTs=" + faultEnd
          + "&lookback=" + (faultEnd - faultStart) + "ms");
      JsonNode first = compare.get("values").get(0);
      assertThat(first.get("value").asText()).isEqualTo(slowHost);
      assertThat(first.get("ratioToPeers").asDouble()).isGreaterThanOrEqualTo(3.0);
      assertThat(compare.get("values")).hasSize(4);
      assertThat(run.get(run.a, "/api/latency/compare?service=payment&by=host.name&endTs=" + faultEnd
          + "&lookback=" + (faultEnd - faultStart) + "ms")).isEqualTo(compare);
    }
  }

  @Test
  void slowReleaseIsARegressionNamingBothVersions() throws Exception {
    SimulatedSystem system = new SimulatedSystem(SEED);
    try (Run run = Run.start()) {
      run.traffic(system, 0, 10, w -> {
        if (w == 4) {
          system.faults().activate(Fault.parse("slow-release:cart"));
        }
      });
      List<LatencyAlert> alerts = run.peerAlertsUntil(
          a -> a.getRule().getType() == AlertRuleType.RELEASE_REGRESSION);
      LatencyAlert regression = alerts.stream()
          .filter(a -> a.getRule().getType() == AlertRuleType.RELEASE_REGRESSION).findFirst().orElseThrow();
      assertThat(regression.getRootService()).isEqualTo("cart");
      assertThat(regression.getStatus()).isEqualTo(AlertStatus.FIRING);
      assertThat(regression.getPeers().getDimension()).isEqualTo("service.version");
      String newVersion = regression.getPeers().getValue();
      assertThat(regression.getPeers().getPeerValues()).singleElement()
          .satisfies(old -> assertThat(VersionOrder.compare(newVersion, old)).isPositive());
      assertThat(regression.getRule().getDescription()).contains(newVersion)
          .contains(regression.getPeers().getPeerValues().get(0));
      assertThat(alerts).allSatisfy(a -> assertThat(a.getPeers().getValue()).isNotEqualTo(system.slowHostOf("cart")));
    }
  }

  @Test
  void healthyTrafficWithTheSameSeedRaisesNoPeerAlert() throws Exception {
    SimulatedSystem system = new SimulatedSystem(SEED);
    try (Run run = Run.start()) {
      run.traffic(system, 0, 12, w -> {});
      run.awaitClosed("payment", run.base + 6 * WINDOW_MS);
      // Judged, not skipped: every payment host has spans to compare.
      JsonNode compare = run.get(run.a, "/api/latency/compare?service=payment&by=host.name&endTs="
          + (run.base + 7 * WINDOW_MS) + "&lookback=14s");
      assertThat(compare.get("values")).hasSize(4);
      assertThat(run.peerAlertsFor(Duration.ofSeconds(3))).isEmpty();
      assertThat(run.get(run.a, "/api/alerts/firing").get("firing")).isEmpty();
      // The page and its files come from the same HTTP server; nothing else of the classpath does.
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(run.a.http().baseUrl() + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
      assertThat(page.body()).contains("/page/app.js");
      HttpResponse<String> script = http.send(HttpRequest.newBuilder(
          URI.create(run.a.http().baseUrl() + "/page/app.js")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(script.body()).contains("/api/latency/compare");
      assertThat(http.send(HttpRequest.newBuilder(URI.create(run.a.http().baseUrl() + "/page/LatencyTopology.class"))
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }
  }

  /** A backend, two stage instances, a producer and consumers of alerts and closed windows. */
  private final class Run implements AutoCloseable {
    final LatencyCluster.Backend backend;
    final LatencyCluster.Instance a;
    final LatencyCluster.Instance b;
    final KafkaProducer<String, Trace> producer;
    final KafkaConsumer<String, LatencyAlert> alerts;
    final KafkaConsumer<String, OperationLatency> windows;
    final long base = System.currentTimeMillis() / 10_000 * 10_000;
    final List<LatencyAlert> received = new ArrayList<>();

    private Run(LatencyCluster.Backend backend) throws Exception {
      this.backend = backend;
      var config = backend.config(Map.ofEntries(
          Map.entry("tracepipe.latency.window", "2s"),
          Map.entry("tracepipe.latency.grace", "1s"),
          Map.entry("tracepipe.latency.rollups", "10s"),
          Map.entry(PeerSettings.MIN_SAMPLES.key(), "10"),
          Map.entry(PeerSettings.REPEAT_INTERVAL.key(), "4s")));
      var serde = config.serdeConfig();
      this.a = LatencyCluster.Instance.start(config);
      this.b = LatencyCluster.Instance.start(config);
      this.producer = backend.cluster().producer(new StringSerializer(), Topics.TRACES.valueSerde(serde).serializer());
      this.alerts = backend.cluster().consumer(new StringDeserializer(),
          Topics.LATENCY_ALERTS.valueSerde(serde).deserializer());
      this.windows = backend.cluster().consumer(new StringDeserializer(),
          Topics.OPERATION_LATENCY.valueSerde(serde).deserializer());
      alerts.subscribe(List.of(Topics.LATENCY_ALERTS.name()));
      windows.subscribe(List.of(Topics.OPERATION_LATENCY.name()));
      a.awaitRunning();
      b.awaitRunning();
    }

    static Run start() throws Exception {
      return new PeersIT().new Run(LatencyCluster.Backend.start());
    }

    /** Checkouts window by window; {@code beforeWindow} switches faults on and off between windows. */
    void traffic(SimulatedSystem system, int from, int to, java.util.function.IntConsumer beforeWindow) {
      LatencyCluster.checkouts(system, producer, base, WINDOW_MS, from, to, beforeWindow, List.of(a, b));
    }

    List<LatencyAlert> peerAlertsUntil(java.util.function.Predicate<LatencyAlert> last) {
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        poll(Duration.ofMillis(200));
        return received.stream().anyMatch(last);
      });
      poll(Duration.ofSeconds(1));
      return received;
    }

    List<LatencyAlert> peerAlertsFor(Duration duration) {
      long until = System.nanoTime() + duration.toNanos();
      while (System.nanoTime() < until) {
        poll(Duration.ofMillis(200));
      }
      return received;
    }

    private void poll(Duration timeout) {
      alerts.poll(timeout).forEach(r -> {
        if (!r.value().getAlertId().isEmpty()) {
          received.add(r.value());
        }
      });
    }

    void awaitClosed(String service, long windowStart) {
      long[] latest = {0};
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        windows.poll(Duration.ofMillis(200)).forEach(r -> {
          if (r.value().getService().equals(service)) {
            latest[0] = Math.max(latest[0], r.value().getWindowStartMillis());
          }
        });
        assertThat(latest[0] - base).as("latest closed window of " + service).isGreaterThanOrEqualTo(windowStart - base);
      });
    }

    JsonNode get(LatencyCluster.Instance instance, String pathAndQuery) throws Exception {
      return instance.get(pathAndQuery);
    }

    @Override
    public void close() throws Exception {
      alerts.close();
      windows.close();
      producer.close();
      a.close();
      b.close();
      backend.close();
    }
  }
}
