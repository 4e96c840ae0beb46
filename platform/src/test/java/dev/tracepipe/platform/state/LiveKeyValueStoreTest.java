package dev.tracepipe.platform.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A counter per key, kept live between flushes over an in-memory key-value store. */
class LiveKeyValueStoreTest {

  final AtomicInteger encoded = new AtomicInteger();
  final AtomicInteger decoded = new AtomicInteger();
  LiveKeyValueStore<String, Long> store;

  @BeforeEach
  void open() {
    Serde<Long> values = Serdes.serdeFrom(
        (topic, value) -> {
          encoded.incrementAndGet();
          return Serdes.Long().serializer().serialize(topic, value);
        },
        (topic, bytes) -> {
          decoded.incrementAndGet();
          return Serdes.Long().deserializer().deserialize(topic, bytes);
        });
    KeyValueStore<String, Long> built = new LiveKeyValueStoreBuilder<>(Stores.inMemoryKeyValueStore("counts"),
        Serdes.String(), values, 3, Duration.ofHours(1)).withLoggingDisabled().build();
    store = (LiveKeyValueStore<String, Long>) built;
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    store.init(context.getStateStoreContext(), store);
  }

  void increment(String key) {
    Long current = store.get(key);
    store.put(key, current == null ? 1 : current + 1);
  }

  Long fromAnotherThread(String key) {
    return CompletableFuture.supplyAsync(() -> store.get(key)).join();
  }

  @Test
  void aValueIsDecodedAndEncodedOncePerFlushNotPerChange() {
    for (int i = 0; i < 50; i++) {
      increment("a");
    }
    assertThat(encoded).hasValue(0);
    store.flushCache();
    assertThat(encoded).hasValue(1);
    assertThat(decoded).hasValue(0);
    for (int i = 0; i < 50; i++) {
      increment("a");
    }
    store.flushCache();
    assertThat(decoded).as("read back once after the first flush forgot it").hasValue(1);
    assertThat(encoded).hasValue(2);
    assertThat(fromAnotherThread("a")).isEqualTo(100L);
  }

  @Test
  void otherThreadsReadWhatWasLastWrittenOut() {
    increment("a");
    store.flushCache();
    increment("a");
    assertThat(store.get("a")).isEqualTo(2L);
    assertThat(fromAnotherThread("a")).isEqualTo(1L);
    store.flushCache();
    assertThat(fromAnotherThread("a")).isEqualTo(2L);
  }

  @Test
  void scansOnTheStreamThreadSeeTheLiveChanges() {
    increment("a1");
    increment("a2");
    increment("b");
    List<KeyValue<String, Long>> all = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = store.prefixScan("a", new StringSerializer())) {
      it.forEachRemaining(all::add);
    }
    assertThat(all).containsExactly(KeyValue.pair("a1", 1L), KeyValue.pair("a2", 1L));
    assertThat(store.approximateNumEntries()).isEqualTo(3);
  }

  @Test
  void clearingTheCacheDropsWhatWasNeverWrittenOut() {
    increment("a");
    store.flushCache();
    increment("a");
    store.clearCache();
    assertThat(store.get("a")).isEqualTo(1L);
  }

  @Test
  void moreLiveValuesThanTheBoundAreWrittenOutEarly() {
    increment("a");
    increment("b");
    increment("c");
    assertThat(encoded).hasValue(0);
    increment("d");
    assertThat(encoded).as("four live values over a bound of three").hasValue(4);
    assertThat(fromAnotherThread("d")).isEqualTo(1L);
  }

  @Test
  void aDeleteTakesEffectAtOnceAndALaterPutWins() {
    increment("a");
    store.flushCache();
    increment("a");
    assertThat(store.delete("a")).isEqualTo(2L);
    assertThat(store.get("a")).isNull();
    assertThat(fromAnotherThread("a")).isNull();
    store.flushCache();
    assertThat(store.get("a")).isNull();
    store.put("a", 7L);
    assertThat(store.putIfAbsent("a", 9L)).isEqualTo(7L);
    store.put("b", null);
    store.flushCache();
    assertThat(fromAnotherThread("a")).isEqualTo(7L);
    assertThat(fromAnotherThread("b")).isNull();
  }
}
