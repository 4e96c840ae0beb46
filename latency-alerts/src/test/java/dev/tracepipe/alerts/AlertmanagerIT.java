package dev.tracepipe.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.AlertRule;
import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.AlertStatus;
import dev.tracepipe.avro.Distribution;
import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.PeerComparison;
import dev.tracepipe.avro.PeerMeasure;
import dev.tracepipe.latency.LatencyCluster;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.schemas.topics.Topics;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The stage delivers a HOST_OUTLIER's FIRING and RESOLVED records to Debian's prometheus-alertmanager, started here,
 * and Alertmanager's own API shows the alert active, then gone with a resolved alert received.
 */
class AlertmanagerIT {

  private static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void firingThenResolvedReachAlertmanager() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    if (!ci) {
      Assumptions.assumeTrue(Files.isExecutable(BINARY), "prometheus-alertmanager is not installed");
    }
    Path dir = Files.createTempDirectory("alertmanager-it");
    Files.writeString(dir.resolve("alertmanager.yml"), """
        route:
          receiver: nobody
          group_wait: 1s
        receivers:
          - name: nobody
        """);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process alertmanager = new ProcessBuilder(BINARY.toString(),
        "--config.file=" + dir.resolve("alertmanager.yml"),
        "--storage.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--cluster.listen-address=")
        .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "alertmanager.log")).start();
    String am = "http://127.0.0.1:" + port;
    try (LatencyCluster.Backend backend = LatencyCluster.Backend.start()) {
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> get(am + "/-/ready").statusCode() == 200);
      TracepipeConfig config = backend.config(Map.of(AlertmanagerSettings.URL.key(), am));
      try (LatencyCluster.Instance stage = LatencyCluster.Instance.start(config);
          KafkaProducer<String, LatencyAlert> producer = backend.cluster().producer(new StringSerializer(),
              Topics.LATENCY_ALERTS.valueSerde(config.serdeConfig()).serializer())) {
        long now = System.currentTimeMillis();
        LatencyAlert firing = hostOutlier(now - 20_000, now);
        producer.send(new ProducerRecord<>(Topics.LATENCY_ALERTS.name(), firing.getAlertId(), firing));
        producer.flush();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          JsonNode alerts = HttpApi.JSON.readTree(get(am + "/api/v2/alerts").body());
          assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.get("labels").get("alertname").asText()).isEqualTo("HOST_OUTLIER");
            assertThat(a.get("labels").get("value").asText()).isEqualTo("payment-1");
            assertThat(a.get("status").get("state").asText()).isEqualTo("active");
            assertThat(a.get("annotations").get("description").asText()).contains("payment-1");
          });
        });

        LatencyAlert resolved = LatencyAlert.newBuilder(firing).setStatus(AlertStatus.RESOLVED).build();
        producer.send(new ProducerRecord<>(Topics.LATENCY_ALERTS.name(), resolved.getAlertId(), resolved));
        producer.flush();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(HttpApi.JSON.readTree(get(am + "/api/v2/alerts").body())).isEmpty();
          assertThat(get(am + "/metrics").body())
              .containsPattern("alertmanager_alerts_received_total\\{status=\"resolved\",version=\"v2\"\\} [1-9]");
        });
      }
    } finally {
      alertmanager.destroy();
      alertmanager.waitFor();
    }
  }

  private static LatencyAlert hostOutlier(long firstSeen, long windowEnd) {
    Distribution slow = new Distribution(100L, 0L, 30_000_000L, 60_000_000L, 30_000_000L, 60_000_000L);
    Distribution peers = new Distribution(300L, 0L, 3_000_000L, 6_000_000L, 3_000_000L, 6_000_000L);
    return LatencyAlert.newBuilder()
        .setTraceId("")
        .setRootService("payment")
        .setRootOperation("POST /payments")
        .setStartTimeNanos(windowEnd * 1_000_000L)
        .setDurationNanos(60_000_000L)
        .setSpanCount(0)
        .setRule(new AlertRule(AlertRuleType.HOST_OUTLIER, "host.name payment-1: self time p99 60ms, 10× peers", 0L))
        .setStatus(AlertStatus.FIRING)
        .setAlertId("HOST_OUTLIER|payment|POST /payments|SERVER|host.name=payment-1|LATENCY")
        .setFirstSeenMillis(firstSeen)
        .setHeldForMillis(windowEnd - firstSeen)
        .setPeers(PeerComparison.newBuilder().setDimension("host.name").setValue("payment-1")
            .setPeerValues(List.of("payment-2", "payment-3", "payment-4")).setMeasure(PeerMeasure.LATENCY)
            .setSubject(slow).setPeers(peers).setRatio(10).setWindowStartMillis(windowEnd - 2_000)
            .setWindowEndMillis(windowEnd).build())
        .build();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
