package dev.tracepipe.dependencies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.ConnectionType;
import dev.tracepipe.avro.LatencySummary;
import dev.tracepipe.platform.sketch.LatencySketch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Edge statistics merged over windows and instances, and their JSON forms: Zipkin's dependency
 * links, the richer edge list, and the wire form instances exchange (with sketches).
 */
final class EdgeGraph {
  private final Map<EdgeKey, EdgeStats> edges = new TreeMap<>();
  /** Edges with at least one window still open: their counts can still grow. */
  private final Set<EdgeKey> partial = new HashSet<>();

  void add(EdgeKey edge, EdgeStats stats) {
    add(edge, stats, false);
  }

  void add(EdgeKey edge, EdgeStats stats, boolean open) {
    edges.computeIfAbsent(edge, e -> new EdgeStats()).merge(stats);
    if (open) {
      partial.add(edge);
    }
  }

  void addAll(EdgeGraph other) {
    other.edges.forEach((edge, stats) -> add(edge, stats, other.partial.contains(edge)));
  }

  boolean partial(EdgeKey edge) {
    return partial.contains(edge);
  }

  Map<EdgeKey, EdgeStats> edges() {
    return edges;
  }

  /** Zipkin's /api/v2/dependencies: one link per parent and child, whatever the connection. */
  List<Map<String, Object>> zipkinLinks() {
    Map<List<String>, long[]> links = new TreeMap<>((a, b) -> {
      int byParent = a.get(0).compareTo(b.get(0));
      return byParent != 0 ? byParent : a.get(1).compareTo(b.get(1));
    });
    edges.forEach((edge, stats) -> {
      if (stats.calls() <= 0) return;
      long[] counts = links.computeIfAbsent(List.of(edge.parent(), edge.child()), k -> new long[2]);
      counts[0] += stats.calls();
      counts[1] += stats.errors();
    });
    List<Map<String, Object>> result = new ArrayList<>(links.size());
    links.forEach((pair, counts) -> {
      Map<String, Object> link = new LinkedHashMap<>();
      link.put("parent", pair.get(0));
      link.put("child", pair.get(1));
      link.put("callCount", counts[0]);
      link.put("errorCount", counts[1]);
      result.add(link);
    });
    return result;
  }

  /** Edges with their connection type and latency percentiles. */
  List<Map<String, Object>> detailedEdges() {
    List<Map<String, Object>> result = new ArrayList<>(edges.size());
    edges.forEach((edge, stats) -> {
      if (stats.calls() <= 0) return;
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("parent", edge.parent());
      json.put("child", edge.child());
      json.put("connectionType", edge.type().name());
      json.put("callCount", stats.calls());
      json.put("errorCount", stats.errors());
      json.put("latency", latencyJson(stats.summary()));
      json.put("partial", partial.contains(edge));
      result.add(json);
    });
    return result;
  }

  private static Map<String, Object> latencyJson(LatencySummary summary) {
    if (summary == null) return null;
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("count", summary.getCount());
    json.put("minNanos", summary.getMinNanos());
    json.put("meanNanos", summary.getMeanNanos());
    json.put("p50Nanos", summary.getP50Nanos());
    json.put("p75Nanos", summary.getP75Nanos());
    json.put("p90Nanos", summary.getP90Nanos());
    json.put("p95Nanos", summary.getP95Nanos());
    json.put("p99Nanos", summary.getP99Nanos());
    json.put("p999Nanos", summary.getP999Nanos());
    json.put("maxNanos", summary.getMaxNanos());
    json.put("relativeAccuracy", summary.getRelativeAccuracy());
    return json;
  }

  /** What one instance sends another: every edge with its sketch, nothing lost in merging. */
  List<Map<String, Object>> toWire() {
    List<Map<String, Object>> result = new ArrayList<>(edges.size());
    edges.forEach((edge, stats) -> {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("parent", edge.parent());
      json.put("child", edge.child());
      json.put("type", edge.type().name());
      json.put("calls", stats.calls());
      json.put("errors", stats.errors());
      json.put("sketch", Base64.getEncoder().encodeToString(stats.latency().toBytes()));
      json.put("partial", partial.contains(edge));
      result.add(json);
    });
    return result;
  }

  static EdgeGraph fromWire(JsonNode array) {
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException("expected a JSON array of edges, got " + array);
    }
    EdgeGraph graph = new EdgeGraph();
    for (JsonNode node : array) {
      EdgeKey edge = new EdgeKey(text(node, "parent"), text(node, "child"),
          ConnectionType.valueOf(text(node, "type")));
      LatencySketch sketch = LatencySketch.fromBytes(Base64.getDecoder().decode(text(node, "sketch")));
      graph.add(edge, new EdgeStats(node.path("calls").asLong(), node.path("errors").asLong(), sketch),
          node.path("partial").asBoolean(false));
    }
    return graph;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) throw new IllegalArgumentException("edge without " + field + ": " + node);
    return value.asText();
  }
}
