package dev.tracepipe.platform.time;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Tumbling-window aggregation that emits each window once, when it closes, on a {@link WindowClock}: closed by later
 * records while traffic flows and by wall-clock punctuation when it stops. A value whose window already closed is
 * counted, not dropped: moved to the window at the clock, or merged into its own stored window.
 *
 * @param <K> the key
 * @param <V> the values added
 * @param <A> the aggregate kept per key and window
 */
public final class TumblingWindowProcessor<K, V, A> implements Processor<K, V, Windowed<K>, A> {

  private static final int CLOSE_BATCH = 1_000;
  /** Aggregates a task keeps live between two commits; more are written out early, which only costs time. */
  private static final int MAX_LIVE_AGGREGATES = 4_096;
  /** How far queries may lag behind a window's live aggregate when commits are rare. */
  private static final Duration MAX_LIVE_AGE = Duration.ofSeconds(1);

  /** How values are added, and where late ones go. */
  public interface Policy<K, V, A> {
    A initial();

    A add(K key, V value, A aggregate);

    /** True to count a late value in the window at the clock; false to merge it into its own closed window. */
    boolean relocateWhenLate(V value);

    /** Distinct keys a window holds (in this task) before new keys are counted under their overflow key. */
    default int maxKeys() {
      return Integer.MAX_VALUE;
    }

    /** The key a new key is counted under when its window is full; a key is its own overflow key when uncapped. */
    default K overflowKey(K key) {
      return key;
    }

    /** Told of each value counted under the overflow key of its key, to count and log it. */
    default void overflowed(K key, V value) {}
  }

  /**
   * @param windowStore the window store of aggregates, queryable
   * @param indexStore the key-value store of open windows and the clock
   * @param size window size
   * @param grace how long after a window ends on the clock it still accepts values
   * @param retention how long closed windows stay in the store
   * @param clockLead added to a value's time when it moves the clock: an input known to be complete up to a later
   *     time (a closed finer window) moves the clock that far
   */
  public record Spec(String windowStore, String indexStore, Duration size, Duration grace, Duration retention,
      long clockLead) {
    public Spec {
      Objects.requireNonNull(windowStore, "windowStore == null");
      Objects.requireNonNull(indexStore, "indexStore == null");
      Objects.requireNonNull(size, "size == null");
      Objects.requireNonNull(grace, "grace == null");
      Objects.requireNonNull(retention, "retention == null");
      if (size.isZero() || size.isNegative()) {
        throw new IllegalArgumentException("window size must be positive: " + size);
      }
    }
  }

  private final Spec spec;
  private final Serde<K> keySerde;
  private final Policy<K, V, A> policy;
  private final EventTime eventTime;
  private final ClockMetrics metrics;
  private final long sizeMs;
  private final long graceMs;
  private ProcessorContext<Windowed<K>, A> context;
  private WindowStore<K, A> windows;
  private OpenWindows open;
  private WindowClock clock;
  private long persistedClock;

  public TumblingWindowProcessor(Spec spec, Serde<K> keySerde, Policy<K, V, A> policy, EventTime eventTime,
      ClockMetrics metrics) {
    this.spec = Objects.requireNonNull(spec, "spec == null");
    this.keySerde = Objects.requireNonNull(keySerde, "keySerde == null");
    this.policy = Objects.requireNonNull(policy, "policy == null");
    this.eventTime = Objects.requireNonNull(eventTime, "eventTime == null");
    this.metrics = Objects.requireNonNull(metrics, "metrics == null");
    this.sizeMs = spec.size().toMillis();
    this.graceMs = spec.grace().toMillis();
  }

  @Override
  public void init(ProcessorContext<Windowed<K>, A> context) {
    this.context = context;
    this.windows = context.getStateStore(spec.windowStore());
    this.open = new OpenWindows(context.getStateStore(spec.indexStore()));
    this.persistedClock = open.clock();
    this.clock = new WindowClock(eventTime.settings(), persistedClock, context.currentSystemTimeMs());
    // Wall-clock punctuation on purpose: stream time stops when input stops, and the last window must still close
    // within grace plus one interval of wall time. The clock decides; while replaying it does not run with the wall.
    context.schedule(eventTime.settings().punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
  }

  @Override
  public void process(Record<K, V> record) {
    if (record.key() == null || record.value() == null) {
      return;
    }
    long wall = context.currentSystemTimeMs();
    long now = clock.advance(wall);
    long time = record.timestamp();
    if (eventTime.aheadOfWall(time, wall)) {
      time = now >= 0 ? now : wall;
      metrics.count(Placement.Adjustment.CLOCK_AHEAD, 1);
    }
    long start = startOf(time);
    if (now >= 0 && closed(start, now)) {
      if (!policy.relocateWhenLate(record.value())) {
        mergeIntoClosed(record, start, now);
        return;
      }
      metrics.count(Placement.Adjustment.LATE, 1);
      time = now;
      start = startOf(now);
    }
    add(record.key(), record.value(), start);
    clock.observe(time + spec.clockLead(), wall);
    closeDue();
  }

  private void mergeIntoClosed(Record<K, V> record, long start, long now) {
    if (start + sizeMs <= now - spec.retention().toMillis()) {
      metrics.count(Placement.Adjustment.EXPIRED, 1);
      return;
    }
    metrics.count(Placement.Adjustment.LATE, 1);
    K key = record.key();
    A current = windows.fetch(key, start);
    K overflow = policy.overflowKey(key);
    // A key missing from a closed window that overflowed was counted under the overflow key: correct that one.
    if (current == null && !overflow.equals(key) && windows.fetch(overflow, start) != null) {
      policy.overflowed(key, record.value());
      key = overflow;
      current = windows.fetch(key, start);
    }
    windows.put(key, policy.add(key, record.value(), current == null ? policy.initial() : current), start);
  }

  private void add(K key, V value, long start) {
    A current = windows.fetch(key, start);
    if (current == null) {
      K overflow = policy.overflowKey(key);
      if (!overflow.equals(key)) {
        if (open.keys(start) >= policy.maxKeys()) {
          policy.overflowed(key, value);
          key = overflow;
          current = windows.fetch(key, start);
        } else {
          open.keys(start, open.keys(start) + 1);
        }
      }
      if (current == null) {
        current = policy.initial();
        open.open(start, keySerde.serializer().serialize(spec.indexStore(), key));
      }
    }
    windows.put(key, policy.add(key, value, current), start);
  }

  private void onWallClock(long wallNow) {
    clock.advance(wallNow);
    closeDue();
  }

  /** Emits and un-indexes every window the clock has closed; persists the clock when it moved. */
  private void closeDue() {
    long now = clock.time();
    if (now < 0) {
      return;
    }
    long maxStart = now - graceMs - sizeMs;
    List<OpenWindows.Entry> due;
    do {
      due = open.startingUpTo(maxStart, CLOSE_BATCH);
      for (OpenWindows.Entry entry : due) {
        K key = keySerde.deserializer().deserialize(spec.indexStore(), entry.key());
        A aggregate = windows.fetch(key, entry.start());
        open.close(entry.start(), entry.key());
        if (!policy.overflowKey(key).equals(key)) {
          open.forgetKeys(entry.start());
        }
        if (aggregate != null) {
          Windowed<K> window = new Windowed<>(key, new TimeWindow(entry.start(), entry.start() + sizeMs));
          context.forward(new Record<>(window, aggregate, entry.start() + sizeMs - 1));
        }
      }
    } while (due.size() == CLOSE_BATCH);
    if (now != persistedClock) {
      open.clock(now);
      persistedClock = now;
    }
  }

  /**
   * The window store (queryable as before) and the index of open windows, both changelogged and both cached: a window's
   * aggregate is rewritten with every value it takes, and the cache folds those writes into one store write and one
   * changelog record per window and commit. The window store keeps the aggregates being written as live objects
   * between commits ({@link LiveWindowStore}), so an aggregate is decoded and encoded once per commit, not per value.
   */
  public static <K, A> List<StoreBuilder<?>> stores(Spec spec, Serde<K> keySerde, Serde<A> valueSerde) {
    Duration minimum = spec.size().plus(spec.grace());
    Duration retention = spec.retention().compareTo(minimum) < 0 ? minimum : spec.retention();
    return List.of(
        new LiveWindowStoreBuilder<>(Stores.persistentWindowStore(spec.windowStore(), retention, spec.size(), false),
            keySerde, valueSerde, MAX_LIVE_AGGREGATES, MAX_LIVE_AGE).withCachingEnabled(),
        // The clock entry, too, is rewritten with nearly every record.
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(spec.indexStore()), Serdes.Bytes(),
            Serdes.ByteArray()).withCachingEnabled());
  }

  private boolean closed(long start, long now) {
    return start + sizeMs + graceMs <= now;
  }

  private long startOf(long time) {
    return startOf(time, sizeMs);
  }

  /** The start of the window of {@code size} milliseconds that holds {@code time}; times before 0 fall in the first. */
  static long startOf(long time, long size) {
    long t = Math.max(0, time);
    return t - t % size;
  }
}
