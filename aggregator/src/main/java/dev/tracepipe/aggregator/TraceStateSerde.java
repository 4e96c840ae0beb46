package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.TraceState.Phase;
import dev.tracepipe.aggregator.TraceState.Round;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A fixed-size binary encoding of {@link TraceState}, led by a format byte so it can change without losing state. */
final class TraceStateSerde implements Serde<TraceState> {

  private static final byte FORMAT = 1;
  private static final int SIZE = 3 + 4 * Integer.BYTES + 9 * Long.BYTES;

  @Override
  public Serializer<TraceState> serializer() {
    return (topic, state) -> state == null ? null : encode(state);
  }

  @Override
  public Deserializer<TraceState> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }

  static byte[] encode(TraceState s) {
    return ByteBuffer.allocate(SIZE)
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
        .array();
  }

  static TraceState decode(byte[] bytes) {
    if (bytes.length != SIZE || bytes[0] != FORMAT) {
      throw new SerializationException(
          "unknown trace state encoding: format " + (bytes.length == 0 ? "none" : bytes[0]) + ", " + bytes.length
              + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 1, SIZE - 1);
    return new TraceState(Phase.values()[b.get()], Round.values()[b.get()], b.getInt(), b.getLong(), b.getLong(),
        b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getInt(), b.getLong(), b.getInt(), b.getInt(),
        b.getLong(), b.getLong());
  }
}
