package dev.tracepipe.platform.time;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A store that holds nothing and tells its processor when Kafka Streams flushes the task's caches: before every
 * commit (inside the transaction under exactly-once) and before a clean close, like the caches of its own stores.
 */
final class CommitHook implements StateStore, CachedStateStore<Object, Object> {

  private final String name;
  private Runnable onFlush = () -> {};
  private Runnable onClear = () -> {};
  private boolean open;

  CommitHook(String name) {
    this.name = Objects.requireNonNull(name, "name == null");
  }

  /** Calls {@code onFlush} at every flush and {@code onClear} when the task drops what it has not committed. */
  void listen(Runnable onFlush, Runnable onClear) {
    this.onFlush = Objects.requireNonNull(onFlush, "onFlush == null");
    this.onClear = Objects.requireNonNull(onClear, "onClear == null");
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    context.register(root, (key, value) -> {});
    open = true;
  }

  @Override
  public void flushCache() {
    onFlush.run();
  }

  @Override
  public void clearCache() {
    onClear.run();
  }

  @Override
  public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
    return false;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void close() {
    open = false;
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Builds the hook; it keeps nothing, so there is nothing to log or cache. */
  static StoreBuilder<CommitHook> builder(String name) {
    return new StoreBuilder<>() {
      @Override
      public StoreBuilder<CommitHook> withCachingEnabled() {
        return this;
      }

      @Override
      public StoreBuilder<CommitHook> withCachingDisabled() {
        return this;
      }

      @Override
      public StoreBuilder<CommitHook> withLoggingEnabled(Map<String, String> config) {
        return this;
      }

      @Override
      public StoreBuilder<CommitHook> withLoggingDisabled() {
        return this;
      }

      @Override
      public CommitHook build() {
        return new CommitHook(name);
      }

      @Override
      public Map<String, String> logConfig() {
        return Map.of();
      }

      @Override
      public boolean loggingEnabled() {
        return false;
      }

      @Override
      public String name() {
        return name;
      }
    };
  }
}
