package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.TraceState.Phase;
import dev.tracepipe.aggregator.TraceState.TimeBase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The time index, in memory: per clock, trace ids in due order, so punctuation reads only what is due. It holds
 * nothing the trace states do not (each state records where its two entries are), so it is built from the trace store
 * when the processor starts, after the store is restored, instead of being a store of its own with a changelog.
 *
 * <p>Entries are grouped by due time (traces opened by one poll share their wall-clock due time): the tree is ordered
 * by a long, and the ids of one due time are a sorted list, or a lone id, so that entries come due in (time, id)
 * order.
 */
final class DueIndex {

  /** A trace id and the time it is due at on one clock. */
  record Entry(TimeBase base, long due, String traceId) {}

  /** Per clock, due time to its ids: a String when there is one, else a sorted {@code ArrayList<String>}. */
  @SuppressWarnings("unchecked")
  private final TreeMap<Long, Object>[] byClock = new TreeMap[] {new TreeMap<>(), new TreeMap<>()};
  private final int[] sizes = new int[2];
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
  @SuppressWarnings("unchecked")
  void put(TimeBase base, long due, String traceId) {
    if (due < 0) {
      return;
    }
    TreeMap<Long, Object> clock = byClock[base.ordinal()];
    Object ids = clock.putIfAbsent(due, traceId);
    if (ids == null) {
      sizes[base.ordinal()]++;
    } else if (ids instanceof String one) {
      int order = one.compareTo(traceId);
      if (order != 0) {
        List<String> both = new ArrayList<>(4);
        both.add(order < 0 ? one : traceId);
        both.add(order < 0 ? traceId : one);
        clock.put(due, both);
        sizes[base.ordinal()]++;
      }
    } else {
      List<String> list = (List<String>) ids;
      int at = Collections.binarySearch(list, traceId);
      if (at < 0) {
        list.add(-at - 1, traceId);
        sizes[base.ordinal()]++;
      }
    }
  }

  @SuppressWarnings("unchecked")
  void remove(TimeBase base, long due, String traceId) {
    if (due < 0) {
      return;
    }
    TreeMap<Long, Object> clock = byClock[base.ordinal()];
    Object ids = clock.get(due);
    if (ids instanceof String one) {
      if (one.equals(traceId)) {
        clock.remove(due);
        sizes[base.ordinal()]--;
      }
    } else if (ids != null) {
      List<String> list = (List<String>) ids;
      int at = Collections.binarySearch(list, traceId);
      if (at >= 0) {
        list.remove(at);
        sizes[base.ordinal()]--;
        if (list.size() == 1) {
          clock.put(due, list.get(0));
        }
      }
    }
  }

  /** Up to {@code limit} entries due at or before {@code now} on one clock, earliest first. */
  @SuppressWarnings("unchecked")
  List<Entry> due(TimeBase base, long now, int limit) {
    List<Entry> entries = new ArrayList<>();
    if (now < 0) {
      return entries;
    }
    for (Map.Entry<Long, Object> slot : byClock[base.ordinal()].headMap(now, true).entrySet()) {
      long due = slot.getKey();
      if (slot.getValue() instanceof String one) {
        entries.add(new Entry(base, due, one));
      } else {
        for (String id : (List<String>) slot.getValue()) {
          if (entries.size() == limit) {
            break;
          }
          entries.add(new Entry(base, due, id));
        }
      }
      if (entries.size() >= limit) {
        break;
      }
    }
    return entries;
  }

  /** Entries on one clock. */
  int size(TimeBase base) {
    return sizes[base.ordinal()];
  }

  /** Open traces when the index was built. */
  long openCount() {
    return openCount;
  }
}
