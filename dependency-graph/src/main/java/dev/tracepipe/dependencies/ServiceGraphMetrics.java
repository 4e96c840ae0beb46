package dev.tracepipe.dependencies;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call metrics under the names Grafana's service graph reads (Tempo's
 * traces_service_graph_request_*), with at most {@code maxEdges} label sets; calls of edges past
 * the cap are counted in traces_service_graph_dropped_total.
 */
final class ServiceGraphMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceGraphMetrics.class);
  private static final Duration[] BUCKETS = {
      Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  /** The meters of one edge. */
  private record EdgeMeters(Counter requests, Counter failed, Timer server, Timer client) {}

  private final MeterRegistry registry;
  private final int maxEdges;
  private final Map<EdgeKey, EdgeMeters> edges = new ConcurrentHashMap<>();
  private final Counter dropped;
  private final Counter staleVersions;
  private final Counter tombstones;
  private final Counter edgeOverflow;

  ServiceGraphMetrics(MeterRegistry registry, int maxEdges) {
    this.registry = Objects.requireNonNull(registry, "registry == null");
    if (maxEdges < 0) throw new IllegalArgumentException("maxEdges < 0: " + maxEdges);
    this.maxEdges = maxEdges;
    this.dropped = Counter.builder("traces.service.graph.dropped")
        .description("Calls not recorded in the service graph metrics because the edge cap was reached")
        .register(registry);
    this.staleVersions = Counter.builder("tracepipe.dependencies.stale.traces")
        .description("Trace versions not newer than one already counted, skipped")
        .register(registry);
    this.tombstones = Counter.builder("tracepipe.dependencies.tombstones")
        .description("Trace records without a value, skipped")
        .register(registry);
    this.edgeOverflow = Counter.builder(DependencyGraphStage.EDGE_OVERFLOW_METRIC)
        .description("Calls counted in the __overflow__ edge because their window reached the edge cap")
        .register(registry);
  }

  /** Records a newly counted call; retractions and error corrections leave counters monotonic. */
  void record(EdgeDelta delta) {
    if (!delta.isNewCall()) return;
    EdgeMeters meters = meters(delta.edge());
    if (meters == null) {
      dropped.increment();
      return;
    }
    meters.requests().increment();
    if (delta.errors() > 0) meters.failed().increment();
    if (delta.serverNanos() != Call.UNKNOWN) meters.server().record(delta.serverNanos(), TimeUnit.NANOSECONDS);
    if (delta.clientNanos() != Call.UNKNOWN) meters.client().record(delta.clientNanos(), TimeUnit.NANOSECONDS);
  }

  void staleVersion() {
    staleVersions.increment();
  }

  void tombstone() {
    tombstones.increment();
  }

  void edgeOverflow(long calls) {
    edgeOverflow.increment(calls);
  }

  private EdgeMeters meters(EdgeKey edge) {
    EdgeMeters existing = edges.get(edge);
    if (existing != null) return existing;
    synchronized (edges) {
      existing = edges.get(edge);
      if (existing != null) return existing;
      if (edges.size() >= maxEdges) {
        if (dropped.count() == 0) LOG.warn("service graph metrics reached {} edges; further edges are not recorded", maxEdges);
        return null;
      }
      EdgeMeters created = create(edge);
      edges.put(edge, created);
      return created;
    }
  }

  private EdgeMeters create(EdgeKey edge) {
    Tags tags = Tags.of("client", edge.parent(), "server", edge.child(),
        "connection_type", edge.type().name().toLowerCase(Locale.ROOT));
    return new EdgeMeters(
        Counter.builder("traces.service.graph.request").tags(tags)
            .description("Calls from client to server").register(registry),
        Counter.builder("traces.service.graph.request.failed").tags(tags)
            .description("Failed calls from client to server").register(registry),
        timer("traces.service.graph.request.server", "Call latency seen by the server", tags),
        timer("traces.service.graph.request.client", "Call latency seen by the client", tags));
  }

  private Timer timer(String name, String description, Tags tags) {
    return Timer.builder(name).tags(tags).description(description)
        .serviceLevelObjectives(BUCKETS).register(registry);
  }
}
