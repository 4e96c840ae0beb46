package dev.tracepipe.alerts.outliers;

import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.OperationLatency;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.latency.LatencySettings.AlertSettings;
import dev.tracepipe.schemas.topics.TopicSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The outlier branch of the latency topology: each trace judged against the published baselines and its root
 * operation's usual shape, alerts gated per root operation by storm control and written keyed by trace id.
 */
public final class OutlierBranch {

  /** The global store of the latest baseline per operation, as the outlier rules and blame read it. */
  public static final String BASELINES_STORE = OutlierDetector.BASELINES_STORE;

  private OutlierBranch() {}

  public static void attach(StreamsBuilder builder, KStream<String, Trace> traces,
      TopicSpec<String, OperationLatency> baselines, TopicSpec<String, LatencyAlert> alerts,
      Map<String, ?> serdeConfig, AlertSettings settings, MeterRegistry meters) {
    OutlierMetrics metrics = new OutlierMetrics(meters);
    Serde<OperationLatency> baselineValues = baselines.valueSerde(serdeConfig);
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OutlierDetector.BASELINES_STORE),
            Serdes.String(), baselineValues).withLoggingDisabled(),
        baselines.name(),
        Consumed.with(baselines.keySerde(serdeConfig), baselineValues).withName("latency-baselines-source"),
        () -> new GlobalStoreUpdater<>(OutlierDetector.BASELINES_STORE));
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(OutlierDetector.VERDICTS_STORE, settings.verdictMemory(),
            Duration.ofMillis(1), false), Serdes.String(), Serdes.String()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(OutlierDetector.SHAPES_STORE), Serdes.String(), OutlierSerdes.CALL_SHAPE));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(StormControl.STORM_STORE), Serdes.String(), OutlierSerdes.STORM_STATE));
    Serde<LatencyAlert> alertValues = alerts.valueSerde(serdeConfig);
    StormGate gate = new StormGate(settings.stormWindow(), settings.maxAlertsPerWindow());
    traces
        .process(() -> new OutlierDetector(settings, metrics), Named.as("latency-outlier-detector"),
            OutlierDetector.VERDICTS_STORE, OutlierDetector.SHAPES_STORE)
        .repartition(Repartitioned.with(Serdes.String(), alertValues).withName("latency-alerts-by-operation"))
        .process(() -> new StormControl(gate, settings.stormMaxRoots(), metrics), Named.as("latency-storm-control"),
            StormControl.STORM_STORE)
        .to(alerts.name(), Produced.with(alerts.keySerde(serdeConfig), alertValues).withName("latency-alerts-sink"));
  }
}
