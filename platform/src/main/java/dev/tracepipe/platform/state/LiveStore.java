package dev.tracepipe.platform.state;

import java.time.Duration;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A store over Kafka Streams' own that keeps live values between commits ({@link LiveValues}): writes them out at
 * Kafka Streams' flush before every commit, and forgets them whenever the store is (re)initialised, its cache cleared
 * or it is closed, since what was never written out belongs to records whose offsets were never committed.
 *
 * @param <S> the store beneath
 * @param <L> a slot of a live value: a key, or a key and window
 */
public abstract class LiveStore<S extends StateStore, K, V, L> extends WrappedStateStore<S, K, V> {

  protected final LiveValues<L, V> values;

  protected LiveStore(S inner, int maxLive, Duration maxAge, BiConsumer<L, V> writeBeneath) {
    super(inner);
    this.values = new LiveValues<>(maxLive, maxAge, writeBeneath);
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    values.forget();
    super.init(context, root);
  }

  @Override
  public void flushCache() {
    values.writeOut();
    super.flushCache();
  }

  @Override
  public void clearCache() {
    values.forget();
    super.clearCache();
  }

  @Override
  public void close() {
    // A clean close flushed first; what is left belongs to records whose offsets were never committed.
    values.forget();
    super.close();
  }

  /** The store beneath for any other read: on the stream thread, what changed is written out first. */
  protected S current() {
    values.writeOutBeforeRead();
    return wrapped();
  }
}
