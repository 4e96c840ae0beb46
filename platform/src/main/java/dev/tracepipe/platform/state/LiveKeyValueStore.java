package dev.tracepipe.platform.state;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

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
public final class LiveKeyValueStore<K, V> extends LiveStore<KeyValueStore<K, V>, K, V, K>
    implements KeyValueStore<K, V> {

  /**
   * @param maxLive live values kept before all changed ones are written out early, which costs only time
   * @param maxAge how long changes may wait for a commit before they are written out
   */
  LiveKeyValueStore(KeyValueStore<K, V> inner, int maxLive, Duration maxAge) {
    super(inner, maxLive, maxAge, inner::put);
  }

  @Override
  public V get(K key) {
    return values.onWriter() ? values.get(key, () -> wrapped().get(key)) : wrapped().get(key);
  }

  @Override
  public void put(K key, V value) {
    if (value == null) {
      delete(key);
      return;
    }
    values.put(key, value);
  }

  @Override
  public V putIfAbsent(K key, V value) {
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
    V old = get(key);
    values.remove(key);
    wrapped().put(key, null);
    return old;
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
