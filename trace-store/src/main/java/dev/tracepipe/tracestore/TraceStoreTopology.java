package dev.tracepipe.tracestore;

import dev.tracepipe.avro.Trace;
import dev.tracepipe.platform.KeptBytes;
import dev.tracepipe.schemas.topics.TopicSpec;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Assembled traces in, nothing out: the latest version of each trace, a search index by service and time, an expiry
 * index, and the names search offers, all in changelogged stores partitioned like {@code traces}.
 */
public final class TraceStoreTopology implements Supplier<Topology> {
  static final String SOURCE = "trace-store-source";
  static final String PROCESSOR = "trace-store-writer";
  /** Trace id to the latest Avro trace, with the time its retention counts from. */
  public static final String TRACE_STORE = "trace-store-traces";
  /** Service (or "" for any), trace timestamp and trace id; values unused. */
  public static final String SEARCH_STORE = "trace-store-search-index";
  /** Retention start and trace id; values unused. */
  static final String EXPIRY_STORE = "trace-store-expiry-index";
  /** Service, span, remote service and tag value names, with when a trace last used each. */
  public static final String NAME_STORE = "trace-store-names";

  private final TopicSpec<String, Trace> traces;
  private final Map<String, ?> serdeConfig;
  private final TraceStoreSettings settings;
  private final TraceStoreMetrics metrics;

  TraceStoreTopology(TopicSpec<String, Trace> traces, Map<String, ?> serdeConfig, TraceStoreSettings settings,
      TraceStoreMetrics metrics) {
    this.traces = Objects.requireNonNull(traces, "traces == null");
    this.serdeConfig = Map.copyOf(Objects.requireNonNull(serdeConfig, "serdeConfig == null"));
    this.settings = Objects.requireNonNull(settings, "settings == null");
    this.metrics = Objects.requireNonNull(metrics, "metrics == null");
  }

  @Override
  public Topology get() {
    // A trace is stored in the bytes it arrived in unless it was merged with what the store held.
    KeptBytes<Trace> arrived = new KeptBytes<>(traces.valueSerde(serdeConfig));
    Topology topology = new Topology();
    topology.addSource(SOURCE, traces.keySerde(serdeConfig).deserializer(), arrived.deserializer(), traces.name());
    topology.addProcessor(PROCESSOR, () -> new TraceStoreProcessor(settings, metrics), SOURCE);
    topology.addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(TRACE_STORE),
        Serdes.String(), arrived.storeSerde()), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SEARCH_STORE),
        Serdes.String(), Serdes.String()), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EXPIRY_STORE),
        Serdes.String(), Serdes.String()), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NAME_STORE),
        Serdes.String(), Serdes.Long()), PROCESSOR);
    return topology;
  }
}
