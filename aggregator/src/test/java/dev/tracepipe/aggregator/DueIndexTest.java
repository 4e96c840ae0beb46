package dev.tracepipe.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.aggregator.TraceState.TimeBase;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scans start where the last one ended, and still find an entry put earlier than that since. */
class DueIndexTest {

  private DueIndex index;

  @BeforeEach
  void init() {
    MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();
    KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(AggregatorTopology.DUE_INDEX_STORE), Serdes.Bytes(), Serdes.ByteArray())
        .withLoggingDisabled().build();
    store.init(context.getStateStoreContext(), store);
    index = new DueIndex(store);
  }

  @Test
  void aScanStartsAfterTheLastOneUnlessAnEarlierEntryWasPutSince() {
    index.put(TimeBase.WALL_CLOCK, 100, "a");
    index.put(TimeBase.WALL_CLOCK, 200, "b");
    index.put(TimeBase.STREAM_TIME, 50, "s");

    long from = index.scanFrom(TimeBase.WALL_CLOCK);
    assertThat(from).isZero();
    assertThat(index.due(TimeBase.WALL_CLOCK, from, 150, 10)).extracting(DueIndex.Entry::traceId).containsExactly("a");
    index.remove(TimeBase.WALL_CLOCK, 100, "a");
    index.scanned(TimeBase.WALL_CLOCK, 150);
    assertThat(index.scanFrom(TimeBase.WALL_CLOCK)).as("nothing put since").isEqualTo(151);

    index.put(TimeBase.WALL_CLOCK, 120, "c");
    from = index.scanFrom(TimeBase.WALL_CLOCK);
    assertThat(from).as("an entry due before the last scan's end").isEqualTo(120);
    assertThat(index.due(TimeBase.WALL_CLOCK, from, 300, 10)).extracting(DueIndex.Entry::traceId)
        .containsExactly("c", "b");

    assertThat(index.scanFrom(TimeBase.STREAM_TIME)).as("each clock on its own").isZero();
    assertThat(index.due(TimeBase.STREAM_TIME, 0, 300, 10)).extracting(DueIndex.Entry::traceId).containsExactly("s");
  }

  @Test
  void aScanThatDidNotEndStartsWhereItBeganNextTime() {
    index.put(TimeBase.WALL_CLOCK, 100, "a");
    index.scanned(TimeBase.WALL_CLOCK, 50);
    long from = index.scanFrom(TimeBase.WALL_CLOCK);
    assertThat(from).isEqualTo(51);
    // An exception while acting on "a": scanned() is never called, so the next scan starts no later.
    assertThat(index.scanFrom(TimeBase.WALL_CLOCK)).isEqualTo(51);
    assertThat(index.due(TimeBase.WALL_CLOCK, 51, 100, 10)).extracting(DueIndex.Entry::traceId).containsExactly("a");
  }
}
