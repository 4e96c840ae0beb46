package dev.tracepipe.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.aggregator.TraceState.TimeBase;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class DueIndexTest {

  @Test
  void entriesComeDueInOrderOnEachClockOnItsOwn() {
    DueIndex index = new DueIndex();
    index.put(TimeBase.WALL_CLOCK, 200, "b");
    index.put(TimeBase.WALL_CLOCK, 100, "a");
    index.put(TimeBase.WALL_CLOCK, 100, "c");
    index.put(TimeBase.STREAM_TIME, 50, "s");
    index.put(TimeBase.WALL_CLOCK, -1, "none");

    assertThat(index.due(TimeBase.WALL_CLOCK, 99, 10)).isEmpty();
    assertThat(index.due(TimeBase.WALL_CLOCK, 150, 10)).extracting(DueIndex.Entry::traceId)
        .containsExactly("a", "c");
    assertThat(index.due(TimeBase.WALL_CLOCK, 300, 2)).extracting(DueIndex.Entry::traceId)
        .as("at most the limit, earliest first").containsExactly("a", "c");
    index.remove(TimeBase.WALL_CLOCK, 100, "a");
    index.remove(TimeBase.WALL_CLOCK, 100, "x");
    assertThat(index.due(TimeBase.WALL_CLOCK, 300, 10)).extracting(DueIndex.Entry::traceId)
        .containsExactly("c", "b");
    assertThat(index.due(TimeBase.STREAM_TIME, 300, 10)).singleElement()
        .isEqualTo(new DueIndex.Entry(TimeBase.STREAM_TIME, 50, "s"));
  }

  @Test
  void entriesOfOneDueTimeComeInIdOrderAndOnlyWhenDue() {
    DueIndex index = new DueIndex();
    long slot = 700;
    index.put(TimeBase.WALL_CLOCK, slot + 50, "later");
    index.put(TimeBase.WALL_CLOCK, slot + 10, "z");
    index.put(TimeBase.WALL_CLOCK, slot + 10, "a");
    index.put(TimeBase.WALL_CLOCK, slot + 10, "a");
    index.put(TimeBase.WALL_CLOCK, slot - 1, "earlier");
    index.put(TimeBase.WALL_CLOCK, slot + 100, "latest");
    assertThat(index.size(TimeBase.WALL_CLOCK)).as("the same entry twice is one").isEqualTo(5);

    assertThat(index.due(TimeBase.WALL_CLOCK, slot + 20, 10)).extracting(DueIndex.Entry::traceId)
        .containsExactly("earlier", "a", "z");
    assertThat(index.due(TimeBase.WALL_CLOCK, slot + 20, 2)).extracting(DueIndex.Entry::traceId)
        .containsExactly("earlier", "a");
    index.remove(TimeBase.WALL_CLOCK, slot - 1, "earlier");
    index.remove(TimeBase.WALL_CLOCK, slot + 10, "a");
    index.remove(TimeBase.WALL_CLOCK, slot + 10, "z");
    assertThat(index.size(TimeBase.WALL_CLOCK)).isEqualTo(2);
    assertThat(index.due(TimeBase.WALL_CLOCK, slot + 20, 10)).isEmpty();
    assertThat(index.due(TimeBase.WALL_CLOCK, Long.MAX_VALUE, 10)).extracting(DueIndex.Entry::traceId)
        .containsExactly("later", "latest");
    assertThat(index.due(TimeBase.WALL_CLOCK, -1, 10)).isEmpty();
  }

  @Test
  void randomPutsAndRemovesComeDueAsASortedSetOfTimeAndIdWould() {
    java.util.Random random = new java.util.Random(5);
    DueIndex index = new DueIndex();
    java.util.TreeSet<DueIndex.Entry> expected = new java.util.TreeSet<>(java.util.Comparator
        .comparingLong(DueIndex.Entry::due).thenComparing(DueIndex.Entry::traceId));
    for (int step = 0; step < 20_000; step++) {
      long due = random.nextInt(50);
      String id = "t" + random.nextInt(40);
      DueIndex.Entry entry = new DueIndex.Entry(TimeBase.WALL_CLOCK, due, id);
      if (random.nextInt(3) == 0) {
        index.remove(TimeBase.WALL_CLOCK, due, id);
        expected.remove(entry);
      } else {
        index.put(TimeBase.WALL_CLOCK, due, id);
        expected.add(entry);
      }
      if (step % 100 == 0) {
        long now = random.nextInt(60) - 5;
        int limit = 1 + random.nextInt(30);
        assertThat(index.due(TimeBase.WALL_CLOCK, now, limit)).as("step %d", step)
            .containsExactlyElementsOf(expected.stream().filter(e -> e.due() <= now).limit(limit).toList());
        assertThat(index.size(TimeBase.WALL_CLOCK)).isEqualTo(expected.size());
      }
    }
    assertThat(index.due(TimeBase.STREAM_TIME, Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  void isBuiltFromWhereEachTraceStateSaysItsEntriesAre() {
    MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();
    KeyValueStore<String, TraceState> traces = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(AggregatorTopology.TRACE_STORE), Serdes.String(), new TraceStateSerde())
        .withLoggingDisabled().build();
    traces.init(context.getStateStoreContext(), traces);
    traces.put("open", TraceState.first(1_000, 10).indexed(6_000, 5_010));
    traces.put("emitted", TraceState.first(1_000, 10).emitted(7_000, 20).indexed(60_000, 50_020));
    traces.put("unindexed", TraceState.first(1_000, 10));

    DueIndex index = DueIndex.of(traces);

    assertThat(index.openCount()).isEqualTo(2);
    assertThat(index.due(TimeBase.WALL_CLOCK, Long.MAX_VALUE, 10)).extracting(DueIndex.Entry::traceId,
        DueIndex.Entry::due).containsExactly(org.assertj.core.groups.Tuple.tuple("open", 6_000L),
        org.assertj.core.groups.Tuple.tuple("emitted", 60_000L));
    assertThat(index.due(TimeBase.STREAM_TIME, 5_010, 10)).extracting(DueIndex.Entry::traceId)
        .containsExactly("open");
  }
}
