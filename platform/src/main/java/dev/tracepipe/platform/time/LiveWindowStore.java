package dev.tracepipe.platform.time;

import dev.tracepipe.platform.state.LiveStore;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * A window store that keeps the aggregates its stream thread reads and rewrites as live objects, and writes each
 * changed one to the store beneath once per commit, instead of decoding and encoding the aggregate with every value.
 *
 * <p>Kafka Streams flushes every registered store's cache before it commits (inside the transaction under
 * exactly-once), and this store is the registered one, so every change reaches the changelog before the offsets of
 * the records that made it are committed. Between two write-outs the live objects are the truth for the stream thread
 * only: interactive queries on other threads read the store beneath, which is at most one commit (and at most
 * {@code maxAge}) behind. Every write-out forgets the live objects, so a task that stops being active and
 * comes back reads what its changelog restored, not an object from before.
 */
final class LiveWindowStore<K, A> extends LiveStore<WindowStore<K, A>, K, A, LiveWindowStore.Slot<K>>
    implements WindowStore<K, A> {

  record Slot<K>(K key, long start) {}

  /**
   * @param maxLive live aggregates kept before all are written out early, which costs only time
   * @param maxAge how long changes may wait for a commit before they are written out, so queries on other threads
   *     lag by no more than this even when commits are rare (at-least-once commits every 30 s by default)
   */
  LiveWindowStore(WindowStore<K, A> inner, int maxLive, Duration maxAge) {
    super(inner, maxLive, maxAge, (slot, value) -> inner.put(slot.key(), value, slot.start()));
  }

  @Override
  public A fetch(K key, long time) {
    if (!values.onWriter()) {
      return wrapped().fetch(key, time);
    }
    return values.get(new Slot<>(key, time), () -> wrapped().fetch(key, time));
  }

  @Override
  public void put(K key, A value, long windowStartTimestamp) {
    Slot<K> slot = new Slot<>(key, windowStartTimestamp);
    if (value == null) {
      values.remove(slot);
      wrapped().put(key, null, windowStartTimestamp);
      return;
    }
    values.put(slot, value);
  }

  @Override
  public WindowStoreIterator<A> fetch(K key, long timeFrom, long timeTo) {
    return current().fetch(key, timeFrom, timeTo);
  }

  @Override
  public WindowStoreIterator<A> fetch(K key, Instant timeFrom, Instant timeTo) {
    return current().fetch(key, timeFrom, timeTo);
  }

  @Override
  public WindowStoreIterator<A> backwardFetch(K key, long timeFrom, long timeTo) {
    return current().backwardFetch(key, timeFrom, timeTo);
  }

  @Override
  public WindowStoreIterator<A> backwardFetch(K key, Instant timeFrom, Instant timeTo) {
    return current().backwardFetch(key, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<K>, A> fetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
    return current().fetch(keyFrom, keyTo, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<K>, A> fetch(K keyFrom, K keyTo, Instant timeFrom, Instant timeTo) {
    return current().fetch(keyFrom, keyTo, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<K>, A> backwardFetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
    return current().backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<K>, A> backwardFetch(K keyFrom, K keyTo, Instant timeFrom, Instant timeTo) {
    return current().backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<K>, A> fetchAll(long timeFrom, long timeTo) {
    return current().fetchAll(timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<K>, A> fetchAll(Instant timeFrom, Instant timeTo) {
    return current().fetchAll(timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<K>, A> backwardFetchAll(long timeFrom, long timeTo) {
    return current().backwardFetchAll(timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<K>, A> backwardFetchAll(Instant timeFrom, Instant timeTo) {
    return current().backwardFetchAll(timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<K>, A> all() {
    return current().all();
  }

  @Override
  public KeyValueIterator<Windowed<K>, A> backwardAll() {
    return current().backwardAll();
  }
}
