package dev.tracepipe.platform.state;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.KeyValueStoreBuilder;

/**
 * Builds a {@link LiveKeyValueStore} over Kafka Streams' own key-value store (changelogged as configured); the live
 * store takes the place of Kafka Streams' record cache, so caching stays off beneath it.
 */
public final class LiveKeyValueStoreBuilder<K, V> extends KeyValueStoreBuilder<K, V> {

  /** Live values per store and stream thread before an early write-out. */
  public static final int DEFAULT_MAX_LIVE = 100_000;
  /** At most this long between write-outs, whatever the commit interval. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

  private final int maxLive;
  private final Duration maxAge;

  public LiveKeyValueStoreBuilder(KeyValueBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
    this(supplier, keySerde, valueSerde, DEFAULT_MAX_LIVE, DEFAULT_MAX_AGE);
  }

  LiveKeyValueStoreBuilder(KeyValueBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde, int maxLive,
      Duration maxAge) {
    super(supplier, keySerde, valueSerde, Time.SYSTEM);
    this.maxLive = maxLive;
    this.maxAge = maxAge;
  }

  @Override
  public KeyValueStore<K, V> build() {
    return new LiveKeyValueStore<>(super.build(), maxLive, maxAge);
  }
}
