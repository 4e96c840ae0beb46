package dev.tracepipe.platform;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Remembers the bytes each record of a topic was read from, so that a store that keeps the record as it arrived
 * writes those bytes instead of encoding the record again.
 *
 * <p>A source's deserializer and the stores of its task run on the same stream thread, so the memory is per thread: a
 * value read by one thread is never looked up by another. It is keyed by identity (a value changed or rebuilt after it
 * was read is not the value read, and is encoded), each entry is taken by its first write, and what is never written
 * (a record skipped or refused, a task closed with records queued) is forgotten once a thread holds
 * {@link #MAX_PER_THREAD} values or {@link #MAX_BYTES_PER_THREAD} bytes.
 *
 * @param <T> the record type
 */
public final class KeptBytes<T> {

  static final int MAX_PER_THREAD = 1_024;
  static final long MAX_BYTES_PER_THREAD = 64L << 20;

  /** What one thread remembers. */
  private static final class Kept {
    final Map<Object, byte[]> bytes = new IdentityHashMap<>();
    long total;
  }

  private final Serde<T> serde;
  private final ThreadLocal<Kept> kept = ThreadLocal.withInitial(Kept::new);

  public KeptBytes(Serde<T> serde) {
    this.serde = Objects.requireNonNull(serde, "serde == null");
  }

  /** The topic's deserializer, remembering what each value was read from. */
  public Deserializer<T> deserializer() {
    Deserializer<T> inner = serde.deserializer();
    return (topic, bytes) -> {
      T value = inner.deserialize(topic, bytes);
      if (value != null) {
        Kept k = kept.get();
        if (k.bytes.size() >= MAX_PER_THREAD || k.total + bytes.length > MAX_BYTES_PER_THREAD) {
          k.bytes.clear();
          k.total = 0;
        }
        k.bytes.put(value, bytes);
        k.total += bytes.length;
      }
      return value;
    };
  }

  /** The bytes {@code value} was read from, forgotten here; null when it was not read by this thread or was taken. */
  byte[] take(T value) {
    if (value == null) {
      return null;
    }
    Kept k = kept.get();
    byte[] bytes = k.bytes.remove(value);
    if (bytes != null) {
      k.total -= bytes.length;
    }
    return bytes;
  }

  /** A serde that writes a value read by {@link #deserializer()} as the bytes it was read from. */
  public Serde<T> storeSerde() {
    Serializer<T> inner = serde.serializer();
    return Serdes.serdeFrom((topic, value) -> {
      byte[] bytes = take(value);
      return bytes != null ? bytes : inner.serialize(topic, value);
    }, serde.deserializer());
  }
}
