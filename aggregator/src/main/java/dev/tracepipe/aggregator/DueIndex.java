package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.TraceState.Phase;
import dev.tracepipe.aggregator.TraceState.TimeBase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The time index, in memory: per clock, trace ids in due order, so punctuation reads only what is due. It holds
 * nothing the trace states do not (each state records where its two entries are), so it is built from the trace store
 * when the processor starts, after the store is restored, instead of being a store of its own with a changelog.
 */
final class DueIndex {

  /** A trace id and the time it is due at on one clock. */
  record Entry(TimeBase base, long due, String traceId) {}

  private static final Comparator<Entry> ORDER = (a, b) -> {
    int byDue = Long.compare(a.due(), b.due());
    return byDue != 0 ? byDue : a.traceId().compareTo(b.traceId());
  };

  @SuppressWarnings("unchecked")
  private final NavigableSet<Entry>[] byClock = new NavigableSet[] {new TreeSet<>(ORDER), new TreeSet<>(ORDER)};
  private long openCount;

  /** The index of the traces a store holds, and their count of open traces. */
  static DueIndex of(KeyValueStore<String, TraceState> traces) {
    DueIndex index = new DueIndex();
    try (KeyValueIterator<String, TraceState> it = traces.all()) {
      it.forEachRemaining(kv -> {
        index.put(TimeBase.WALL_CLOCK, kv.value.wallIndexDue(), kv.key);
        index.put(TimeBase.STREAM_TIME, kv.value.streamIndexDue(), kv.key);
        if (kv.value.phase() == Phase.OPEN) {
          index.openCount++;
        }
      });
    }
    return index;
  }

  /** Adds an entry; a negative due time means none. */
  void put(TimeBase base, long due, String traceId) {
    if (due >= 0) {
      byClock[base.ordinal()].add(new Entry(base, due, traceId));
    }
  }

  void remove(TimeBase base, long due, String traceId) {
    if (due >= 0) {
      byClock[base.ordinal()].remove(new Entry(base, due, traceId));
    }
  }

  /** Up to {@code limit} entries due at or before {@code now} on one clock, earliest first. */
  List<Entry> due(TimeBase base, long now, int limit) {
    List<Entry> entries = new ArrayList<>();
    Iterator<Entry> it = byClock[base.ordinal()].iterator();
    while (it.hasNext() && entries.size() < limit) {
      Entry next = it.next();
      if (next.due() > now) {
        break;
      }
      entries.add(next);
    }
    return entries;
  }

  /** Entries on one clock. */
  int size(TimeBase base) {
    return byClock[base.ordinal()].size();
  }

  /** Open traces when the index was built. */
  long openCount() {
    return openCount;
  }
}
