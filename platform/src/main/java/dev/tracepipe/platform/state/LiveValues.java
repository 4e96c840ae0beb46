package dev.tracepipe.platform.state;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * What a live store keeps between two write-outs to the store beneath: the values its stream thread read or wrote, by
 * slot (a key, or a key and window), and which of them changed; it writes them out early when there are too many or
 * the last write-out is too old. Only the stream thread that writes sees live values; any other thread reads the store
 * beneath. See {@link LiveKeyValueStore} for the contract with Kafka Streams' commits.
 */
public final class LiveValues<S, V> {

  private final int maxLive;
  private final long maxAgeNanos;
  private final BiConsumer<S, V> writeBeneath;
  private final Map<S, V> live = new HashMap<>();
  private final Set<S> changed = new HashSet<>();
  private volatile Thread writer;
  private long writtenAt = System.nanoTime();

  /**
   * @param maxLive live values kept before all changed ones are written out early, which costs only time
   * @param maxAge how long changes may wait for a commit before they are written out, so that reads on other threads
   *     lag by no more than this even when commits are rare (at-least-once commits every 30 s by default)
   * @param writeBeneath writes one value to the store beneath
   */
  public LiveValues(int maxLive, Duration maxAge, BiConsumer<S, V> writeBeneath) {
    if (maxLive < 1) {
      throw new IllegalArgumentException("maxLive must be positive: " + maxLive);
    }
    this.maxLive = maxLive;
    this.maxAgeNanos = maxAge.toNanos();
    this.writeBeneath = Objects.requireNonNull(writeBeneath, "writeBeneath == null");
  }

  /** Whether the calling thread is the stream thread that writes, the only one that sees live values. */
  public boolean onWriter() {
    return Thread.currentThread() == writer;
  }

  /** On the writer thread: the live value of a slot, else what {@code beneath} reads, kept live from then on. */
  public V get(S slot, Supplier<V> beneath) {
    V value = live.get(slot);
    if (value == null) {
      value = beneath.get();
      if (value != null) {
        if (live.size() >= maxLive) {
          writeOut();
        }
        live.put(slot, value);
      }
    }
    return value;
  }

  /** A changed value: written out with the others at the next write-out, or now when there are too many or too old. */
  public void put(S slot, V value) {
    writer = Thread.currentThread();
    live.put(slot, value);
    changed.add(slot);
    if (live.size() > maxLive || System.nanoTime() - writtenAt > maxAgeNanos) {
      writeOut();
    }
  }

  /** Forgets a slot that the caller deletes from the store beneath at once. */
  public void remove(S slot) {
    writer = Thread.currentThread();
    live.remove(slot);
    changed.remove(slot);
  }

  /** Writes every changed value to the store beneath and forgets the live ones. */
  public void writeOut() {
    for (S slot : changed) {
      writeBeneath.accept(slot, live.get(slot));
    }
    forget();
  }

  /** Before any other read on the writer thread: what changed is written out, so that the store beneath is current. */
  public void writeOutBeforeRead() {
    if (onWriter() && !changed.isEmpty()) {
      writeOut();
    }
  }

  /** Drops the live values without writing them: what a commit never covered. */
  public void forget() {
    live.clear();
    changed.clear();
    writtenAt = System.nanoTime();
  }
}
