package dev.tracepipe.platform.state;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A key-value store that keeps the values its stream thread reads and rewrites as live objects in a hash map, and
 * writes each changed one to the store beneath once per commit: a value rewritten on every record (a trace's state on
 * every span) is neither encoded nor decoded per record, nor looked up in Kafka Streams' record cache, a sorted map
 * whose every lookup compares keys byte by byte.
 *
 * <p>The same contract as the platform's live window store: Kafka Streams flushes the registered store's cache
 * before it commits, inside the transaction under exactly-once, so every change reaches the changelog before the
 * offsets of the records that made it are committed. Other threads (interactive queries) read the store beneath, at
 * most one commit or {@code maxAge} behind. Every write-out forgets the live objects, so a task that comes back reads
 * what its changelog restored. Values must not be changed after they are put: the map holds the objects themselves.
 */
public final class LiveKeyValueStore<K, V> extends WrappedStateStore<KeyValueStore<K, V>, K, V>
    implements KeyValueStore<K, V> {

  private final int maxLive;
  private final long maxAgeNanos;
  private final Map<K, V> live = new HashMap<>();
  private final Set<K> changed = new HashSet<>();
  private volatile Thread writer;
  private long writtenAt = System.nanoTime();

  /**
   * @param maxLive live values kept before all changed ones are written out early, which costs only time
   * @param maxAge how long changes may wait for a commit before they are written out
   */
  LiveKeyValueStore(KeyValueStore<K, V> inner, int maxLive, Duration maxAge) {
    super(inner);
    if (maxLive < 1) {
      throw new IllegalArgumentException("maxLive must be positive: " + maxLive);
    }
    this.maxLive = maxLive;
    this.maxAgeNanos = maxAge.toNanos();
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    forget();
    super.init(context, root);
  }

  @Override
  public V get(K key) {
    if (Thread.currentThread() != writer) {
      return wrapped().get(key);
    }
    V value = live.get(key);
    if (value == null) {
      value = wrapped().get(key);
      if (value != null) {
        if (live.size() >= maxLive) {
          writeOut();
        }
        live.put(key, value);
      }
    }
    return value;
  }

  @Override
  public void put(K key, V value) {
    writer = Thread.currentThread();
    if (value == null) {
      delete(key);
      return;
    }
    live.put(key, value);
    changed.add(key);
    if (live.size() > maxLive || System.nanoTime() - writtenAt > maxAgeNanos) {
      writeOut();
    }
  }

  @Override
  public V putIfAbsent(K key, V value) {
    writer = Thread.currentThread();
    V current = get(key);
    if (current == null) {
      put(key, value);
    }
    return current;
  }

  @Override
  public void putAll(List<KeyValue<K, V>> entries) {
    entries.forEach(entry -> put(entry.key, entry.value));
  }

  @Override
  public V delete(K key) {
    writer = Thread.currentThread();
    V old = get(key);
    live.remove(key);
    changed.remove(key);
    wrapped().put(key, null);
    return old;
  }

  @Override
  public void flushCache() {
    writeOut();
    super.flushCache();
  }

  @Override
  public void clearCache() {
    forget();
    super.clearCache();
  }

  @Override
  public void close() {
    // A clean close flushed first; what is left belongs to records whose offsets were never committed.
    forget();
    super.close();
  }

  /** Writes every changed value to the store beneath and forgets the live objects. */
  private void writeOut() {
    for (K key : changed) {
      wrapped().put(key, live.get(key));
    }
    forget();
  }

  private void forget() {
    live.clear();
    changed.clear();
    writtenAt = System.nanoTime();
  }

  /** Any other read on the stream thread sees the live objects' changes: written out first. */
  private KeyValueStore<K, V> current() {
    if (Thread.currentThread() == writer && !changed.isEmpty()) {
      writeOut();
    }
    return wrapped();
  }

  @Override
  public KeyValueIterator<K, V> range(K from, K to) {
    return current().range(from, to);
  }

  @Override
  public KeyValueIterator<K, V> reverseRange(K from, K to) {
    return current().reverseRange(from, to);
  }

  @Override
  public KeyValueIterator<K, V> all() {
    return current().all();
  }

  @Override
  public KeyValueIterator<K, V> reverseAll() {
    return current().reverseAll();
  }

  @Override
  public <S extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, S prefixKeySerializer) {
    return current().prefixScan(prefix, prefixKeySerializer);
  }

  @Override
  public long approximateNumEntries() {
    return current().approximateNumEntries();
  }
}
