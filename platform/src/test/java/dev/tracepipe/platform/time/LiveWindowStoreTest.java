package dev.tracepipe.platform.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A list of values per key and window, kept live between flushes over an in-memory window store. */
class LiveWindowStoreTest {

  static final long W0 = 0;
  static final long W1 = 10_000;

  final AtomicInteger encoded = new AtomicInteger();
  final AtomicInteger decoded = new AtomicInteger();
  LiveWindowStore<String, List<Long>> store;

  @BeforeEach
  void open() {
    Serde<List<Long>> values = Serdes.serdeFrom(
        (topic, list) -> {
          encoded.incrementAndGet();
          return Serdes.ListSerde(ArrayList.class, Serdes.Long()).serializer().serialize(topic, list);
        },
        (topic, bytes) -> {
          decoded.incrementAndGet();
          @SuppressWarnings("unchecked")
          List<Long> list = (List<Long>) Serdes.ListSerde(ArrayList.class, Serdes.Long()).deserializer()
              .deserialize(topic, bytes);
          return list;
        });
    WindowStore<String, List<Long>> built = new LiveWindowStoreBuilder<>(Stores.inMemoryWindowStore("sums",
        Duration.ofHours(1), Duration.ofSeconds(10), false), Serdes.String(), values, 3, Duration.ofHours(1))
        .withLoggingDisabled().build();
    store = (LiveWindowStore<String, List<Long>>) built;
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    store.init(context.getStateStoreContext(), store);
  }

  void add(String key, long value, long start) {
    List<Long> current = store.fetch(key, start);
    List<Long> next = current == null ? new ArrayList<>() : current;
    next.add(value);
    store.put(key, next, start);
  }

  List<Long> fromAnotherThread(String key, long start) {
    return CompletableFuture.supplyAsync(() -> store.fetch(key, start)).join();
  }

  @Test
  void anAggregateIsDecodedAndEncodedOncePerFlushNotPerValue() {
    for (long v = 1; v <= 50; v++) {
      add("a", v, W0);
    }
    assertThat(encoded).hasValue(0);
    store.flushCache();
    assertThat(encoded).hasValue(1);
    assertThat(decoded).hasValue(0);
    for (long v = 51; v <= 100; v++) {
      add("a", v, W0);
    }
    store.flushCache();
    assertThat(decoded).as("read back once after the first flush forgot it").hasValue(1);
    assertThat(encoded).hasValue(2);
    assertThat(fromAnotherThread("a", W0)).hasSize(100).startsWith(1L, 2L).endsWith(100L);
  }

  @Test
  void otherThreadsReadWhatWasLastWrittenOut() {
    add("a", 1, W0);
    store.flushCache();
    add("a", 2, W0);
    assertThat(store.fetch("a", W0)).containsExactly(1L, 2L);
    assertThat(fromAnotherThread("a", W0)).containsExactly(1L);
    store.flushCache();
    assertThat(fromAnotherThread("a", W0)).containsExactly(1L, 2L);
  }

  @Test
  void rangeReadsOnTheStreamThreadSeeTheLiveChanges() {
    add("a", 1, W0);
    add("a", 2, W1);
    add("b", 3, W1);
    List<KeyValue<Windowed<String>, List<Long>>> all = new ArrayList<>();
    try (KeyValueIterator<Windowed<String>, List<Long>> it = store.fetchAll(W0, W1)) {
      it.forEachRemaining(all::add);
    }
    assertThat(all).extracting(kv -> kv.key.key() + "@" + kv.key.window().start() + "=" + kv.value)
        .containsExactlyInAnyOrder("a@0=[1]", "a@10000=[2]", "b@10000=[3]");
  }

  @Test
  void clearingTheCacheDropsWhatWasNeverWrittenOut() {
    add("a", 1, W0);
    store.flushCache();
    add("a", 2, W0);
    store.clearCache();
    assertThat(store.fetch("a", W0)).containsExactly(1L);
  }

  @Test
  void moreLiveAggregatesThanTheBoundAreWrittenOutEarly() {
    add("a", 1, W0);
    add("b", 1, W0);
    add("c", 1, W0);
    assertThat(encoded).hasValue(0);
    add("d", 1, W0);
    assertThat(encoded).as("four live aggregates over a bound of three").hasValue(4);
    assertThat(fromAnotherThread("d", W0)).containsExactly(1L);
  }

  @Test
  void aNullValueDeletesAtOnce() {
    add("a", 1, W0);
    store.flushCache();
    add("a", 2, W0);
    store.put("a", null, W0);
    assertThat(store.fetch("a", W0)).isNull();
    assertThat(fromAnotherThread("a", W0)).isNull();
    store.flushCache();
    assertThat(store.fetch("a", W0)).isNull();
  }
}
