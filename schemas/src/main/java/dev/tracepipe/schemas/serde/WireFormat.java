package dev.tracepipe.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/** The Confluent wire format: magic byte 0, a 4-byte big-endian schema id, then the Avro binary encoding. */
public final class WireFormat {
  public static final byte MAGIC = 0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** The schema id in the header of a framed message, failing with the reason when the framing is wrong. */
  public static int schemaId(byte[] framed) {
    if (framed == null || framed.length < HEADER_SIZE) {
      throw new SerializationException("not in the schema registry wire format: "
          + (framed == null ? "null" : framed.length + " bytes") + " is shorter than the 5-byte header");
    }
    if (framed[0] != MAGIC) {
      throw new SerializationException("not in the schema registry wire format: unknown magic byte " + framed[0]);
    }
    return ByteBuffer.wrap(framed, 1, 4).getInt();
  }

  static void writeHeader(ByteBuffer target, int schemaId) {
    target.put(MAGIC).putInt(schemaId);
  }
}
