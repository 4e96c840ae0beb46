package dev.tracepipe.alerts.peers;

import dev.tracepipe.avro.LatencyAlert;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/** Adds peer comparison to a topology: a branch off the finest closed windows that writes lifecycle alerts. */
public final class PeerBranch {

  private PeerBranch() {}

  /**
   * @param windows the finest closed windows, keyed by operation
   * @param alertsTopic where alerts go, with their serde
   */
  public static void attach(StreamsBuilder builder, KStream<String, PeerWindow> windows, PeerSettings settings,
      String alertsTopic, Serde<String> keys, Serde<LatencyAlert> alerts, MeterRegistry meters) {
    if (!settings.enabled()) {
      return;
    }
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(PeerProcessor.HISTORY_STORE), Serdes.String(), ReleaseHistory.serde()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(PeerProcessor.ACTIVE_STORE), Serdes.String(), ActiveAlerts.serde()));
    PeerMetrics metrics = new PeerMetrics(meters);
    windows
        .process(() -> new PeerProcessor(settings, metrics), Named.as("peers-judge"), PeerProcessor.HISTORY_STORE,
            PeerProcessor.ACTIVE_STORE)
        .to(alertsTopic, Produced.with(keys, alerts).withName("peers-alerts-sink"));
  }
}
