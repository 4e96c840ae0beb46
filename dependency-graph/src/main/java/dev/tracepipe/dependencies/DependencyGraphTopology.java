package dev.tracepipe.dependencies;

import dev.tracepipe.avro.DependencyEdge;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.platform.time.BoundedTimestampExtractor;
import dev.tracepipe.platform.time.ClockMetrics;
import dev.tracepipe.platform.time.ClockSettings;
import dev.tracepipe.platform.time.EventTime;
import dev.tracepipe.platform.time.TumblingWindowProcessor;
import dev.tracepipe.platform.time.WindowCombiner;
import dev.tracepipe.schemas.topics.TopicSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.Stores;

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
  static final String REPARTITION = "dependency-edge-folds-by-edge";
  static final String EDGE_FOLDS = "dependency-edge-folds";
  /** Folds a task holds between commits before it forwards them early. */
  private static final int MAX_EDGE_FOLDS = 10_000;
  /** The edge windows still open: what marks an edge partial in the HTTP API. */
  public static final String OPEN_EDGES_STORE = "dependency-edges-open";

  private final TopicSpec<String, Trace> traces;
  private final TopicSpec<String, DependencyEdge> edges;
  private final Map<String, ?> serdeConfig;
  private final DependencyGraphSettings settings;
  private final ServiceGraphMetrics metrics;
  private final EventTime eventTime;
  private final ClockMetrics clockMetrics;

  public DependencyGraphTopology(TopicSpec<String, Trace> traces,
      TopicSpec<String, DependencyEdge> edges, Map<String, ?> serdeConfig,
      DependencyGraphSettings settings, MeterRegistry meters) {
    this(traces, edges, serdeConfig, settings, ClockSettings.defaults(), meters);
  }

  public DependencyGraphTopology(TopicSpec<String, Trace> traces,
      TopicSpec<String, DependencyEdge> edges, Map<String, ?> serdeConfig,
      DependencyGraphSettings settings, ClockSettings clock, MeterRegistry meters) {
    this.traces = Objects.requireNonNull(traces, "traces == null");
    this.edges = Objects.requireNonNull(edges, "edges == null");
    this.serdeConfig = Map.copyOf(Objects.requireNonNull(serdeConfig, "serdeConfig == null"));
    this.settings = Objects.requireNonNull(settings, "settings == null");
    this.metrics = new ServiceGraphMetrics(meters, settings.maxMetricEdges());
    this.eventTime = new EventTime(Objects.requireNonNull(clock, "clock == null"));
    this.clockMetrics = new ClockMetrics(meters, DependencyGraphStage.NAME);
  }

  @Override
  public Topology get() {
    StreamsBuilder builder = new StreamsBuilder();
    // Window size 1 ms: the ledger is read by key over its whole retention, not by window.
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(LEDGER_STORE, settings.traceMemory(), Duration.ofMillis(1), false),
        Serdes.String(), StateSerdes.countedTrace()));
    Serde<EdgeKey> edgeKeys = StateSerdes.edgeKey();
    TumblingWindowProcessor.Spec spec = new TumblingWindowProcessor.Spec(EDGE_STORE, OPEN_EDGES_STORE,
        settings.window(), settings.grace(), settings.retention(), 0);
    TumblingWindowProcessor.stores(spec, edgeKeys, StateSerdes.edgeStats()).forEach(builder::addStateStore);
    // A named window processor rather than windowedBy(...).emitStrategy(onWindowClose()): the DSL closes windows on
    // stream time only, so the last window after traffic stopped never closed, and a fast tracer clock closed windows
    // for everyone. This one closes on a clock that also runs with the wall clock (platform RATIONALE.md).
    // Record timestamps bounded: a trace stamped far ahead would otherwise stamp the ledger's changelog records too.
    // Calls are folded per edge and window between commits before the repartition: one record per edge, window and
    // commit crosses the broker instead of one per call.
    builder.addStateStore(WindowCombiner.hook(EDGE_FOLDS));
    builder.stream(traces.name(), Consumed.with(traces.keySerde(serdeConfig), traces.valueSerde(serdeConfig))
            .withName("dependency-traces").withTimestampExtractor(new BoundedTimestampExtractor(eventTime, clockMetrics)))
        .process(() -> new TraceDeltaProcessor(LEDGER_STORE, settings.traceMemory(), metrics, eventTime,
                clockMetrics), Named.as("dependency-trace-delta"), LEDGER_STORE)
        .process(() -> new WindowCombiner<>(EDGE_FOLDS, settings.window(), EdgeWindows.folds(), MAX_EDGE_FOLDS),
            Named.as(EDGE_FOLDS), EDGE_FOLDS)
        .repartition(Repartitioned.with(edgeKeys, StateSerdes.edgeStats()).withName(REPARTITION))
        .process(() -> new TumblingWindowProcessor<>(spec, edgeKeys,
            new EdgeWindows(settings.maxWindowEdges(), metrics), eventTime, clockMetrics),
            Named.as("dependency-edges-aggregate"), EDGE_STORE, OPEN_EDGES_STORE)
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
