package dev.tracepipe.aggregator;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.serde.WireFormat;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * A span is encoded once, when it arrives, and its bytes are kept in the span store; an emitted trace is written around
 * those bytes (an Avro array of records is a count followed by the records' encodings) instead of encoding every span
 * again. One instance per processor: it remembers the bytes of the spans read for the trace being emitted.
 */
final class EncodedSpans {

  private final AvroSerde<Span> spanSerde;
  private final AvroSerde<Trace> traceSerde;
  private final String outputTopic;
  /** Past this many spans the map's table has grown, and clearing it would wipe the whole table for every trace. */
  private static final int SMALL_TRACE = 21;
  private Map<Span, byte[]> read = new IdentityHashMap<>();
  private final SplicingWriter writer = new SplicingWriter();
  private String storeTopic;
  private int storeSchemaId = -1;

  /**
   * @param spanSerde the span store's serde: its framing is what the store has always held
   * @param traceSerde the output topic's serde
   */
  EncodedSpans(AvroSerde<Span> spanSerde, AvroSerde<Trace> traceSerde, String outputTopic) {
    this.spanSerde = Objects.requireNonNull(spanSerde, "spanSerde == null");
    this.traceSerde = Objects.requireNonNull(traceSerde, "traceSerde == null");
    this.outputTopic = Objects.requireNonNull(outputTopic, "outputTopic == null");
  }

  /** The name the store's serde was always given: its changelog topic, so that the schema id stays the same. */
  void storeTopic(String applicationId, String storeName) {
    this.storeTopic = applicationId + "-" + storeName + "-changelog";
  }

  /** A span as the span store holds it: framed like the canonical topic, with the store's schema id. */
  byte[] encode(Span span) {
    return spanSerde.serialize(storeTopic, span);
  }

  /** What a span adds to an encoded trace: its bytes without the framing. */
  static int size(byte[] stored) {
    return stored.length - WireFormat.HEADER_SIZE;
  }

  /** Reads a stored span. */
  Span decode(byte[] stored) {
    return spanSerde.deserialize(storeTopic, stored);
  }

  /**
   * Reads a stored span and remembers its bytes until the next {@link #trace}, unless an older schema wrote them (a
   * store restored from before a schema change): those are encoded again.
   */
  Span read(byte[] stored) {
    Span span = decode(stored);
    if (storeSchemaId < 0) {
      storeSchemaId = spanSerde.schemaId(storeTopic);
    }
    if (WireFormat.schemaId(stored) == storeSchemaId) {
      read.put(span, stored);
    }
    return span;
  }

  /**
   * The framed trace: each span that is one of those just {@link #read} (not rebuilt by merging or placement) is
   * copied from its stored bytes, which decode and encode to the same bytes; others are encoded.
   */
  byte[] trace(Trace trace) {
    try {
      return traceSerde.serialize(outputTopic, trace, writer);
    } finally {
      if (read.size() > SMALL_TRACE) {
        read = new IdentityHashMap<>();
      } else {
        read.clear();
      }
    }
  }

  /** Writes a kept span's stored body where the span would be encoded. */
  private final class SplicingWriter extends SpecificDatumWriter<Trace> {

    SplicingWriter() {
      super(Trace.getClassSchema());
    }

    @Override
    protected void writeRecord(Schema schema, Object datum, Encoder out) throws IOException {
      if (!(datum instanceof Span span)) {
        // The trace and its other records field by field, so that its spans come back here.
        super.writeRecord(schema, datum, out);
        return;
      }
      byte[] bytes = read.get(span);
      if (bytes == null) {
        // The span's own generated encoder: the same bytes as the schema-walking writer, faster.
        span.customEncode(out);
      } else {
        // Fixed writes raw bytes, no length: exactly the record's encoding.
        out.writeFixed(bytes, WireFormat.HEADER_SIZE, size(bytes));
      }
    }
  }
}
