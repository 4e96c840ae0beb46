package dev.tracepipe.platform.time;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Folds the values of each key and tumbling window in memory and forwards each fold, timed at its latest value, when
 * Kafka Streams flushes before a commit: a repartition after it carries one record per key, window and commit instead
 * of one per value, and a window aggregate downstream merges the folds.
 *
 * <p>Folds also go out at least every {@link #MAX_AGE} of wall time, so that they stay on time for the windows
 * downstream when commits are rare (at-least-once commits every 30 s by default); forwarding early only costs records.
 *
 * <p>Nothing is kept across commits, so nothing needs a changelog: what was folded is forwarded inside the
 * transaction that commits the offsets of its values, and what was not yet forwarded when a task fails belongs to
 * offsets that were not committed and are read again. Forwarding outside {@code process} borrows the way Kafka
 * Streams' own caches forward at a flush: this node is made the current one and the last record's context restored.
 *
 * @param <K> the key
 * @param <V> the values folded
 * @param <A> a fold
 */
public final class WindowCombiner<K, V, A> implements Processor<K, V, K, A> {

  /** How values are folded. */
  public interface Fold<V, A> {
    A initial();

    A add(V value, A fold);

    /** False for a value forwarded at once, alone in its fold: one the aggregate downstream must tell apart. */
    default boolean folds(V value) {
      return true;
    }
  }

  /** The longest a fold waits for a commit before it is forwarded anyway. */
  static final Duration MAX_AGE = Duration.ofSeconds(1);

  private record Slot<K>(K key, long start) {}

  private static final class Partial<A> {
    A fold;
    long time = Long.MIN_VALUE;
  }

  private final String hookName;
  private final long sizeMs;
  private final Fold<V, A> fold;
  private final int maxFolds;
  private final Map<Slot<K>, Partial<A>> partials = new HashMap<>();
  private ProcessorContext<K, A> context;
  private InternalProcessorContext<K, A> internal;
  private ProcessorNode<?, ?, ?, ?> node;
  private ProcessorRecordContext lastRecord;

  /**
   * @param hookName the name of this processor's {@link #hook(String)} store
   * @param size the window size, the same as the aggregate's downstream
   * @param maxFolds folds held before all are forwarded early, which costs only records
   */
  public WindowCombiner(String hookName, Duration size, Fold<V, A> fold, int maxFolds) {
    this.hookName = Objects.requireNonNull(hookName, "hookName == null");
    this.sizeMs = size.toMillis();
    this.fold = Objects.requireNonNull(fold, "fold == null");
    this.maxFolds = maxFolds;
    if (sizeMs <= 0 || maxFolds < 1) {
      throw new IllegalArgumentException("window size and maxFolds must be positive: " + size + ", " + maxFolds);
    }
  }

  /** The store a combiner named {@code hookName} must be connected to: how it hears of commits. */
  public static StoreBuilder<?> hook(String hookName) {
    return CommitHook.builder(hookName);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void init(ProcessorContext<K, A> context) {
    if (!(context instanceof InternalProcessorContext<?, ?>)) {
      throw new IllegalStateException("a window combiner runs in a Kafka Streams task, not in " + context.getClass());
    }
    this.context = context;
    this.internal = (InternalProcessorContext<K, A>) context;
    this.node = internal.currentNode();
    partials.clear();
    CommitHook hook = context.getStateStore(hookName);
    hook.listen(this::flush, partials::clear);
    context.schedule(MAX_AGE, PunctuationType.WALL_CLOCK_TIME, wallNow -> flush());
  }

  @Override
  public void process(Record<K, V> record) {
    if (record.key() == null || record.value() == null) {
      return;
    }
    if (!fold.folds(record.value())) {
      context.forward(record.withValue(fold.add(record.value(), fold.initial())));
      return;
    }
    long time = record.timestamp();
    // The window the aggregate downstream will put the fold in, by the same rule.
    Slot<K> slot = new Slot<>(record.key(), TumblingWindowProcessor.startOf(time, sizeMs));
    Partial<A> partial = partials.computeIfAbsent(slot, s -> new Partial<>());
    partial.fold = fold.add(record.value(), partial.fold == null ? fold.initial() : partial.fold);
    partial.time = Math.max(partial.time, time);
    lastRecord = internal.recordContext();
    if (partials.size() > maxFolds) {
      flush();
    }
  }

  /** Forwards every fold and forgets it. */
  private void flush() {
    if (partials.isEmpty()) {
      return;
    }
    ProcessorNode<?, ?, ?, ?> previousNode = internal.currentNode();
    ProcessorRecordContext previousRecord = internal.recordContext();
    internal.setCurrentNode(node);
    internal.setRecordContext(lastRecord);
    try {
      for (Map.Entry<Slot<K>, Partial<A>> e : partials.entrySet()) {
        context.forward(new Record<>(e.getKey().key(), e.getValue().fold, e.getValue().time));
      }
    } finally {
      partials.clear();
      internal.setCurrentNode(previousNode);
      internal.setRecordContext(previousRecord);
    }
  }

  @Override
  public void close() {
    partials.clear();
  }
}
