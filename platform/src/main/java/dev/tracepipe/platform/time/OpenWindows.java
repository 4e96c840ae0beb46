package dev.tracepipe.platform.time;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The index of a window store's open windows, {@code [window start, big-endian][key bytes]}, so that closing reads
 * only what is due with one range scan; also holds the window clock. The query APIs read it to mark a window partial.
 */
public final class OpenWindows {

  /** An open window: its start and its serialized key. */
  public record Entry(long start, byte[] key) {}

  private static final byte[] EMPTY = new byte[0];
  /** Sorts after every entry: window starts are never negative, so an entry's first byte is below 0x80. */
  private static final Bytes CLOCK_KEY = Bytes.wrap(new byte[] {(byte) 0xFF});
  /** Prefix of the count of a window's capped keys: after every entry, before the clock. */
  private static final byte KEYS_PREFIX = (byte) 0xFE;

  private final KeyValueStore<Bytes, byte[]> store;

  OpenWindows(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  void open(long start, byte[] key) {
    store.put(key(start, key), EMPTY);
  }

  void close(long start, byte[] key) {
    store.delete(key(start, key));
  }

  /** Up to {@code limit} open windows starting at or before {@code maxStart}, earliest first. */
  List<Entry> startingUpTo(long maxStart, int limit) {
    List<Entry> entries = new ArrayList<>();
    if (maxStart < 0) {
      return entries;
    }
    Bytes upper = Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(maxStart + 1).array());
    try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(new byte[Long.BYTES]), upper)) {
      while (it.hasNext() && entries.size() < limit) {
        KeyValue<Bytes, byte[]> next = it.next();
        byte[] k = next.key.get();
        if (next.key.equals(upper) || k.length < Long.BYTES) {
          continue;
        }
        long start = ByteBuffer.wrap(k).getLong();
        if (start > maxStart) {
          break;
        }
        byte[] key = new byte[k.length - Long.BYTES];
        System.arraycopy(k, Long.BYTES, key, 0, key.length);
        entries.add(new Entry(start, key));
      }
    }
    return entries;
  }

  /** How many capped keys the window starting at {@code start} holds. */
  int keys(long start) {
    byte[] value = store.get(keysKey(start));
    return value == null ? 0 : ByteBuffer.wrap(value).getInt();
  }

  void keys(long start, int count) {
    store.put(keysKey(start), ByteBuffer.allocate(Integer.BYTES).putInt(count).array());
  }

  void forgetKeys(long start) {
    store.delete(keysKey(start));
  }

  private static Bytes keysKey(long start) {
    return Bytes.wrap(ByteBuffer.allocate(1 + Long.BYTES).put(KEYS_PREFIX).putLong(start).array());
  }

  long clock() {
    byte[] value = store.get(CLOCK_KEY);
    return value == null ? -1 : ByteBuffer.wrap(value).getLong();
  }

  void clock(long time) {
    store.put(CLOCK_KEY, ByteBuffer.allocate(Long.BYTES).putLong(time).array());
  }

  /** True when the window of {@code key} (serialized) starting at {@code start} has not closed yet. */
  public static boolean isOpen(ReadOnlyKeyValueStore<Bytes, byte[]> index, byte[] key, long start) {
    return index.get(key(start, key)) != null;
  }

  static Bytes key(long start, byte[] key) {
    return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + key.length).putLong(Math.max(0, start)).put(key).array());
  }
}
