package dev.tracepipe.platform.time;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.WindowStoreBuilder;

/**
 * Builds a {@link LiveWindowStore} over Kafka Streams' own window store; a window store builder still, so that the
 * changelog topic is created as a window store's (compacted and deleted after retention), not as a key-value store's.
 */
final class LiveWindowStoreBuilder<K, A> extends WindowStoreBuilder<K, A> {

  private final int maxLive;
  private final Duration maxAge;

  LiveWindowStoreBuilder(WindowBytesStoreSupplier supplier, Serde<K> keySerde, Serde<A> valueSerde, int maxLive,
      Duration maxAge) {
    super(supplier, keySerde, valueSerde, Time.SYSTEM);
    this.maxLive = maxLive;
    this.maxAge = maxAge;
  }

  @Override
  public WindowStore<K, A> build() {
    return new LiveWindowStore<>(super.build(), maxLive, maxAge);
  }
}
