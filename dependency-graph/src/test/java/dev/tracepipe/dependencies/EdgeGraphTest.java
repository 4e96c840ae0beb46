package dev.tracepipe.dependencies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.ConnectionType;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.sketch.LatencySketch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeGraphTest {

  static EdgeStats stats(long calls, long errors, long... latencies) {
    LatencySketch sketch = new LatencySketch();
    for (long latency : latencies) sketch.add(latency);
    return new EdgeStats(calls, errors, sketch);
  }

  @Test
  void zipkinLinksMergeWindowsAndConnectionTypes() {
    EdgeGraph graph = new EdgeGraph();
    graph.add(new EdgeKey("web", "app", ConnectionType.RPC), stats(2, 1, 10, 20));
    graph.add(new EdgeKey("web", "app", ConnectionType.RPC), stats(3, 0, 30, 40, 50));
    graph.add(new EdgeKey("web", "app", ConnectionType.VIRTUAL), stats(1, 1, 60));
    graph.add(new EdgeKey("app", "db", ConnectionType.DATABASE), stats(0, 0)); // all calls retracted

    assertThat(graph.zipkinLinks()).containsExactly(
        Map.of("parent", "web", "child", "app", "callCount", 6L, "errorCount", 2L));
    assertThat(graph.detailedEdges()).hasSize(2).first().satisfies(edge -> {
      assertThat(edge).containsEntry("connectionType", "RPC").containsEntry("callCount", 5L);
      @SuppressWarnings("unchecked")
      Map<String, Object> latency = (Map<String, Object>) edge.get("latency");
      assertThat(latency).containsEntry("count", 5L).containsEntry("minNanos", 10L).containsEntry("maxNanos", 50L);
    });
  }

  @Test
  void wireFormKeepsSketchesSoInstancesMergeExactly() throws Exception {
    EdgeGraph graph = new EdgeGraph();
    graph.add(new EdgeKey("web", "app", ConnectionType.RPC), stats(2, 1, 1_000, 3_000_000));
    List<Map<String, Object>> wire = graph.toWire();

    EdgeGraph read = EdgeGraph.fromWire(HttpApi.JSON.readTree(HttpApi.JSON.writeValueAsBytes(wire)));

    EdgeStats stats = read.edges().get(new EdgeKey("web", "app", ConnectionType.RPC));
    assertThat(List.of(stats.calls(), stats.errors(), stats.latency().count(), stats.latency().max()))
        .containsExactly(2L, 1L, 2L, 3_000_000L);
  }
}
