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

  /** Format 1: the fixed fields; format 2 adds the kept spans' hashes; format 3 then the span store records. */
  private static final byte FORMAT_WITHOUT_HASHES = 1;
  private static final byte FORMAT_WITHOUT_RECORDS = 2;
  private static final byte FORMAT = 3;
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
    SpanRecords records = s.records();
    ByteBuffer b = ByteBuffer.allocate(FIXED_SIZE + Integer.BYTES * (2 + hashes.size() + records.size()))
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
        .putLong(s.streamIndexDue());
    hashes.writeTo(b);
    records.writeTo(b);
    return b.array();
  }

  /**
   * Reads every format: a state of format 1 has no hashes and one of format 1 or 2 no records; the aggregator finds
   * what is missing in the span store.
   */
  static TraceState decode(byte[] bytes) {
    byte format = bytes.length == 0 ? -1 : bytes[0];
    boolean known = format == FORMAT_WITHOUT_HASHES ? bytes.length == FIXED_SIZE
        : format == FORMAT_WITHOUT_RECORDS ? bytes.length >= FIXED_SIZE + Integer.BYTES
        : format == FORMAT && bytes.length >= FIXED_SIZE + 2 * Integer.BYTES;
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
    SpanHashes hashes = format == FORMAT_WITHOUT_HASHES ? SpanHashes.NONE
        : SpanHashes.of(ints(b, "hashes", bytes.length, format == FORMAT ? Integer.BYTES : 0));
    SpanRecords records = format == FORMAT ? SpanRecords.of(ints(b, "records", bytes.length, 0)) : SpanRecords.NONE;
    if (b.hasRemaining()) {
      throw new SerializationException("trace state of format " + format + " with " + b.remaining()
          + " bytes left over in " + bytes.length);
    }
    return new TraceState(phase, round, version, firstArrivalWall, lastArrivalWall, firstStreamTime, lastStreamTime,
        emittedWall, emittedStreamTime, keptSpans, keptBytes, duplicateSpans, droppedSpans, wallIndexDue,
        streamIndexDue, hashes, records);
  }

  /** A count and that many ints, with at least {@code after} bytes left behind them. */
  private static int[] ints(ByteBuffer b, String what, int length, int after) {
    int count = b.getInt();
    if (count < 0 || (long) count * Integer.BYTES > b.remaining() - after) {
      throw new SerializationException("trace state with " + count + " " + what + " in " + length + " bytes");
    }
    int[] values = new int[count];
    for (int i = 0; i < count; i++) {
      values[i] = b.getInt();
    }
    return values;
  }
}
