package dev.tracepipe.aggregator;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The span store's records: the spans a trace kept from one input record, in one store record (their stored
 * encodings, each led by its length), under the trace id and the number of spans the trace had kept before them. A
 * record of one span under a key with the span id, which the store held before, is read as it always was.
 */
final class StoredSpans {

  /** Follows the trace prefix in the key of a record of several spans; never in a span id, which is hex. */
  private static final char SEVERAL = '#';

  private StoredSpans() {}

  /** Unique within a trace while its spans are kept: every record adds at least one span. */
  static String key(String traceId, int keptBefore) {
    // Ten digits, zero-padded, so that the store's byte order is the order the records were written in.
    String digits = Integer.toString(keptBefore);
    return SpanKeys.tracePrefix(traceId) + SEVERAL + "0".repeat(Math.max(0, 10 - digits.length())) + digits;
  }

  static byte[] value(List<byte[]> spans) {
    int size = Integer.BYTES;
    for (byte[] span : spans) {
      size += Integer.BYTES + span.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).putInt(spans.size());
    for (byte[] span : spans) {
      out.putInt(span.length).put(span);
    }
    return out.array();
  }

  /** Hands each stored span of a record to {@code span}, as the bytes it was stored in. */
  static void forEach(String traceId, String key, byte[] value, Consumer<byte[]> span) {
    if (key.length() <= traceId.length() + 1 || key.charAt(traceId.length() + 1) != SEVERAL) {
      span.accept(value);
      return;
    }
    ByteBuffer in = ByteBuffer.wrap(value);
    try {
      int count = in.getInt();
      for (int i = 0; i < count; i++) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        span.accept(bytes);
      }
    } catch (RuntimeException e) {
      throw new SerializationException("span store record " + key + " is not a list of spans", e);
    }
  }
}
