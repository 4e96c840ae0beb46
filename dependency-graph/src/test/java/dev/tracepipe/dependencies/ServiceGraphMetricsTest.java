package dev.tracepipe.dependencies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.ConnectionType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class ServiceGraphMetricsTest {

  @Test
  void prometheusNamesAreThoseGrafanasServiceGraphReads() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServiceGraphMetrics metrics = new ServiceGraphMetrics(registry, 10);

    metrics.record(new EdgeDelta(new EdgeKey("web", "app", ConnectionType.RPC), 0, 1, 1, 40_000_000, 30_000_000));

    String scrape = registry.scrape();
    String labels = "client=\"web\",connection_type=\"rpc\",server=\"app\"";
    assertThat(scrape)
        .contains("traces_service_graph_request_total{" + labels + "} 1.0")
        .contains("traces_service_graph_request_failed_total{" + labels + "} 1.0")
        .contains("traces_service_graph_request_server_seconds_bucket{" + labels + ",le=\"0.05\"} 1")
        .contains("traces_service_graph_request_server_seconds_bucket{" + labels + ",le=\"0.025\"} 0")
        .contains("traces_service_graph_request_client_seconds_count{" + labels + "} 1");
  }

  @Test
  void edgesPastTheCapAreCountedAsDropped() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServiceGraphMetrics metrics = new ServiceGraphMetrics(registry, 1);

    metrics.record(new EdgeDelta(new EdgeKey("web", "app", ConnectionType.RPC), 0, 1, 0, 1, 1));
    metrics.record(new EdgeDelta(new EdgeKey("web", "db", ConnectionType.DATABASE), 0, 1, 0, 1, 1));
    metrics.record(new EdgeDelta(new EdgeKey("web", "db", ConnectionType.DATABASE), 0, 1, 0, 1, 1));
    metrics.record(new EdgeDelta(new EdgeKey("web", "app", ConnectionType.RPC), 0, -1, 0, 1, 1)); // retraction

    assertThat(registry.get("traces.service.graph.request").counters()).hasSize(1)
        .allSatisfy(c -> assertThat(c.count()).isEqualTo(1));
    assertThat(registry.get("traces.service.graph.dropped").counter().count()).isEqualTo(2);
    assertThat(registry.scrape()).contains("traces_service_graph_dropped_total 2.0");
  }
}
