package dev.tracepipe.ingest;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.schemas.serde.AvroSerde;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Groups the accepted spans of one input message by trace and encodes one {@link TraceFragment} record per trace: what
 * a tracer or Collector sent of a trace in one batch crosses Kafka, and is stored by trace assembly, as one record
 * instead of one per span. A fragment whose encoding would pass {@link #MAX_RECORD_BYTES} is split in halves until
 * every part fits, so that no record approaches the topic's limit whatever the message held.
 */
final class TraceFragments {

  /** Encoded size above which a fragment is split: well under the topic's 8 MiB, and under a fetch's 1 MiB default. */
  static final int MAX_RECORD_BYTES = 1024 * 1024;

  /** One record: the trace id (its key), its framed value and how many spans it holds. */
  record Encoded(String traceId, byte[] value, int spanCount) {
    Encoded {
      Objects.requireNonNull(traceId, "traceId == null");
      Objects.requireNonNull(value, "value == null");
    }
  }

  private final AvroSerde<TraceFragment> serde;
  private final String topic;
  private final int maxRecordBytes;

  TraceFragments(AvroSerde<TraceFragment> serde, String topic) {
    this(serde, topic, MAX_RECORD_BYTES);
  }

  TraceFragments(AvroSerde<TraceFragment> serde, String topic, int maxRecordBytes) {
    this.serde = Objects.requireNonNull(serde, "serde == null");
    this.topic = Objects.requireNonNull(topic, "topic == null");
    if (maxRecordBytes < 1) {
      throw new IllegalArgumentException("maxRecordBytes < 1: " + maxRecordBytes);
    }
    this.maxRecordBytes = maxRecordBytes;
  }

  /** The records for a message's accepted spans: traces in the order their first span came, spans in message order. */
  List<Encoded> encode(List<Span> spans) {
    Map<String, List<Span>> byTrace = new LinkedHashMap<>();
    for (Span span : spans) {
      byTrace.computeIfAbsent(span.getTraceId(), id -> new ArrayList<>()).add(span);
    }
    List<Encoded> records = new ArrayList<>(byTrace.size());
    byTrace.forEach((traceId, traceSpans) -> encode(traceId, traceSpans, records));
    return records;
  }

  private void encode(String traceId, List<Span> spans, List<Encoded> records) {
    byte[] value = serde.serialize(topic, new TraceFragment(spans));
    if (value.length <= maxRecordBytes || spans.size() == 1) {
      // A single span is never split: the validator's caps keep it within the topic's limit.
      records.add(new Encoded(traceId, value, spans.size()));
      return;
    }
    int half = spans.size() / 2;
    encode(traceId, new ArrayList<>(spans.subList(0, half)), records);
    encode(traceId, new ArrayList<>(spans.subList(half, spans.size())), records);
  }
}
