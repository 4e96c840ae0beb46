package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.TraceState.Phase;
import dev.tracepipe.aggregator.TraceState.Round;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A binary encoding of {@link TraceState}, led by a format byte so that it can change without losing state. */
final class TraceStateSerde implements Serde<TraceState> {

  /** Format 1: the fixed fields; format 2 adds the kept spans' hashes. */
  private static final byte FORMAT_WITHOUT_HASHES = 1;
  private static final byte FORMAT = 2;
  private static final int FIXED_SIZE = 3 + 4 * Integer.BYTES + 9 * Long.BYTES;

  @Override
  public Serializer<TraceState> serializer() {
    return (topic, state) -> state == null ? null : encode(state);
  }

  @Override
  public Deserializer<TraceState> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }

  static byte[] encode(TraceState s) {
    SpanHashes hashes = s.hashes();
    ByteBuffer b = ByteBuffer.allocate(FIXED_SIZE + Integer.BYTES * (1 + hashes.size()))
        .put(FORMAT)
        .put((byte) s.phase().ordinal())
        .put((byte) s.round().ordinal())
        .putInt(s.version())
        .putLong(s.firstArrivalWall())
        .putLong(s.lastArrivalWall())
        .putLong(s.firstStreamTime())
        .putLong(s.lastStreamTime())
        .putLong(s.emittedWall())
        .putLong(s.emittedStreamTime())
        .putInt(s.keptSpans())
        .putLong(s.keptBytes())
        .putInt(s.duplicateSpans())
        .putInt(s.droppedSpans())
        .putLong(s.wallIndexDue())
        .putLong(s.streamIndexDue())
        .putInt(hashes.size());
    for (int i = 0; i < hashes.size(); i++) {
      b.putInt(hashes.get(i));
    }
    return b.array();
  }

  /** Reads both formats: a state of format 1 has no hashes, and the aggregator reads them from the span store. */
  static TraceState decode(byte[] bytes) {
    byte format = bytes.length == 0 ? -1 : bytes[0];
    boolean known = format == FORMAT_WITHOUT_HASHES ? bytes.length == FIXED_SIZE
        : format == FORMAT && bytes.length >= FIXED_SIZE + Integer.BYTES;
    if (!known) {
      throw new SerializationException(
          "unknown trace state encoding: format " + (bytes.length == 0 ? "none" : bytes[0]) + ", " + bytes.length
              + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
    Phase phase = Phase.values()[b.get()];
    Round round = Round.values()[b.get()];
    int version = b.getInt();
    long firstArrivalWall = b.getLong();
    long lastArrivalWall = b.getLong();
    long firstStreamTime = b.getLong();
    long lastStreamTime = b.getLong();
    long emittedWall = b.getLong();
    long emittedStreamTime = b.getLong();
    int keptSpans = b.getInt();
    long keptBytes = b.getLong();
    int duplicateSpans = b.getInt();
    int droppedSpans = b.getInt();
    long wallIndexDue = b.getLong();
    long streamIndexDue = b.getLong();
    SpanHashes hashes = SpanHashes.NONE;
    if (format == FORMAT) {
      int count = b.getInt();
      if (count < 0 || b.remaining() != count * Integer.BYTES) {
        throw new SerializationException("trace state with " + count + " hashes in " + bytes.length + " bytes");
      }
      int[] values = new int[count];
      for (int i = 0; i < count; i++) {
        values[i] = b.getInt();
      }
      hashes = SpanHashes.of(values);
    }
    return new TraceState(phase, round, version, firstArrivalWall, lastArrivalWall, firstStreamTime, lastStreamTime,
        emittedWall, emittedStreamTime, keptSpans, keptBytes, duplicateSpans, droppedSpans, wallIndexDue,
        streamIndexDue, hashes);
  }
}
