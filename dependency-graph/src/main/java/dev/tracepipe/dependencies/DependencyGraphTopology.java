package dev.tracepipe.dependencies;

import dev.tracepipe.avro.DependencyEdge;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.schemas.topics.TopicSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Assembled traces in, windowed service dependency edges out: derives each trace's calls, counts
 * only what a new version adds, and aggregates calls per edge in tumbling windows held in a
 * queryable store and emitted when each window closes.
 */
public final class DependencyGraphTopology implements Supplier<Topology> {
  /** Per trace id, the calls already counted. */
  static final String LEDGER_STORE = "dependency-trace-ledger";
  /** Per edge and window, calls, errors and latency; what the HTTP API reads. */
  public static final String EDGE_STORE = "dependency-edges-store";
  static final String REPARTITION = "dependency-edges-by-edge";

  private final TopicSpec<String, Trace> traces;
  private final TopicSpec<String, DependencyEdge> edges;
  private final Map<String, ?> serdeConfig;
  private final DependencyGraphSettings settings;
  private final ServiceGraphMetrics metrics;

  public DependencyGraphTopology(TopicSpec<String, Trace> traces,
      TopicSpec<String, DependencyEdge> edges, Map<String, ?> serdeConfig,
      DependencyGraphSettings settings, MeterRegistry meters) {
    this.traces = Objects.requireNonNull(traces, "traces == null");
    this.edges = Objects.requireNonNull(edges, "edges == null");
    this.serdeConfig = Map.copyOf(Objects.requireNonNull(serdeConfig, "serdeConfig == null"));
    this.settings = Objects.requireNonNull(settings, "settings == null");
    this.metrics = new ServiceGraphMetrics(meters, settings.maxMetricEdges());
  }

  @Override
  public Topology get() {
    StreamsBuilder builder = new StreamsBuilder();
    // Window size 1 ms: the ledger is read by key over its whole retention, not by window.
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(LEDGER_STORE, settings.traceMemory(), Duration.ofMillis(1), false),
        Serdes.String(), StateSerdes.countedTrace()));
    Serde<EdgeKey> edgeKeys = StateSerdes.edgeKey();
    builder.stream(traces.name(), Consumed.with(traces.keySerde(serdeConfig), traces.valueSerde(serdeConfig))
            .withName("dependency-traces"))
        .process(() -> new TraceDeltaProcessor(LEDGER_STORE, settings.traceMemory(), metrics),
            Named.as("dependency-trace-delta"), LEDGER_STORE)
        .groupByKey(Grouped.with(REPARTITION, edgeKeys, StateSerdes.edgeDelta()))
        .windowedBy(TimeWindows.ofSizeAndGrace(settings.window(), settings.grace()))
        .emitStrategy(EmitStrategy.onWindowClose())
        .aggregate(EdgeStats::new, (edge, delta, stats) -> stats.add(delta),
            Named.as("dependency-edges-aggregate"),
            Materialized.<EdgeKey, EdgeStats, WindowStore<Bytes, byte[]>>as(EDGE_STORE)
                .withKeySerde(edgeKeys)
                .withValueSerde(StateSerdes.edgeStats())
                .withRetention(settings.retention()))
        .toStream(Named.as("dependency-edges-closed"))
        .filter((window, stats) -> stats.calls() > 0, Named.as("dependency-edges-with-calls"))
        .map((window, stats) -> KeyValue.pair(edgeName(window.key()), toAvro(window, stats)),
            Named.as("dependency-edges-to-avro"))
        .to(edges.name(), Produced.with(edges.keySerde(serdeConfig), edges.valueSerde(serdeConfig))
            .withName("dependency-edges-sink"));
    return builder.build();
  }

  /** The record key of an edge on the output topic: one edge, whatever the window. */
  static String edgeName(EdgeKey edge) {
    return edge.parent() + "|" + edge.child() + "|" + edge.type();
  }

  static DependencyEdge toAvro(Windowed<EdgeKey> window, EdgeStats stats) {
    return DependencyEdge.newBuilder()
        .setParent(window.key().parent())
        .setChild(window.key().child())
        .setConnectionType(window.key().type())
        .setWindowStartMillis(window.window().start())
        .setWindowEndMillis(window.window().end())
        .setCallCount(stats.calls())
        .setErrorCount(stats.errors())
        .setLatency(stats.summary())
        .build();
  }
}
