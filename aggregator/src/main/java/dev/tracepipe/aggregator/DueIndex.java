package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.TraceState.TimeBase;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The time index: one key per trace and clock, {@code [clock][due time, big-endian][trace id]}, so punctuation reads
 * only what is due, in due order, with one range scan. Also holds the task's count of open traces.
 */
final class DueIndex {

  /** A trace id and the time it is due at on one clock. */
  record Entry(TimeBase base, long due, String traceId) {}

  private static final byte[] EMPTY = new byte[0];
  private static final byte OPEN_COUNT = 9;
  private static final Bytes OPEN_COUNT_KEY = Bytes.wrap(new byte[] {OPEN_COUNT});

  private final KeyValueStore<Bytes, byte[]> store;
  /**
   * Per clock, the due time up to which the last complete scan acted on or moved every entry. Removed entries stay in
   * RocksDB as tombstones until compaction, so a scan from the clock's first key would step over every entry removed
   * since; it starts after this instead. In memory only: after a restart the first scan starts from the beginning.
   */
  private final long[] scannedThrough = {-1, -1};
  /** Per clock, the earliest due time put since the current scan began: a scan starts no later than it. */
  private final long[] earliestPut = {Long.MAX_VALUE, Long.MAX_VALUE};

  DueIndex(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  void put(TimeBase base, long due, String traceId) {
    earliestPut[base.ordinal()] = Math.min(earliestPut[base.ordinal()], Math.max(0, due));
    store.put(key(base, due, traceId), EMPTY);
  }

  /** Begins a scan of one clock: the earliest due time an entry not yet acted on can have. */
  long scanFrom(TimeBase base) {
    int clock = base.ordinal();
    long from = Math.min(scannedThrough[clock] + 1, earliestPut[clock]);
    earliestPut[clock] = Long.MAX_VALUE;
    return from;
  }

  /** Ends a scan that acted on or moved every entry due at or before {@code now}. */
  void scanned(TimeBase base, long now) {
    scannedThrough[base.ordinal()] = Math.max(scannedThrough[base.ordinal()], now);
  }

  void remove(TimeBase base, long due, String traceId) {
    if (due >= 0) {
      // A put of null deletes without reading the old value first, as a delete does.
      store.put(key(base, due, traceId), null);
    }
  }

  /** Up to {@code limit} entries due from {@code from} up to {@code now} on one clock, earliest first. */
  List<Entry> due(TimeBase base, long from, long now, int limit) {
    List<Entry> entries = new ArrayList<>();
    if (now < 0 || from > now) {
      return entries;
    }
    // Range ends are inclusive: [clock][now + 1] sorts after every key due at `now` and before those due later.
    Bytes upper = Bytes.wrap(ByteBuffer.allocate(9).put(clock(base)).putLong(now + 1).array());
    Bytes lower = Bytes.wrap(ByteBuffer.allocate(9).put(clock(base)).putLong(Math.max(0, from)).array());
    try (KeyValueIterator<Bytes, byte[]> it = store.range(lower, upper)) {
      while (it.hasNext() && entries.size() < limit) {
        KeyValue<Bytes, byte[]> next = it.next();
        if (next.key.equals(upper)) {
          continue;
        }
        entries.add(decode(next.key.get()));
      }
    }
    return entries;
  }

  long openCount() {
    byte[] value = store.get(OPEN_COUNT_KEY);
    return value == null ? 0 : ByteBuffer.wrap(value).getLong();
  }

  void openCount(long count) {
    store.put(OPEN_COUNT_KEY, ByteBuffer.allocate(Long.BYTES).putLong(count).array());
  }

  static Bytes key(TimeBase base, long due, String traceId) {
    byte[] id = traceId.getBytes(StandardCharsets.UTF_8);
    // Negative times cannot occur for Kafka record timestamps; clamping keeps byte order equal to time order.
    return Bytes.wrap(ByteBuffer.allocate(9 + id.length).put(clock(base)).putLong(Math.max(0, due)).put(id).array());
  }

  private static Entry decode(byte[] key) {
    ByteBuffer b = ByteBuffer.wrap(key);
    TimeBase base = b.get() == clock(TimeBase.WALL_CLOCK) ? TimeBase.WALL_CLOCK : TimeBase.STREAM_TIME;
    long due = b.getLong();
    return new Entry(base, due, new String(key, 9, key.length - 9, StandardCharsets.UTF_8));
  }

  private static byte clock(TimeBase base) {
    return base == TimeBase.WALL_CLOCK ? (byte) 1 : (byte) 2;
  }
}
