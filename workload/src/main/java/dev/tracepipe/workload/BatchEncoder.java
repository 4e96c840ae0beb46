package dev.tracepipe.workload;

import dev.tracepipe.avro.Span;
import dev.tracepipe.schemas.serde.AvroSerde;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Turns a batch of traces into the messages a tracer of one format would send. Implementations are thread-safe. */
interface BatchEncoder {

  /** One message: its key (null when the format sends none), its bytes and how many spans it carries. */
  record Message(byte[] key, byte[] value, int spanCount) {}

  List<Message> encode(List<List<Span>> traces);

  /** One Avro record per span, keyed by the 16 bytes of its trace id so that a trace stays on one partition. */
  static BatchEncoder avro(AvroSerde<Span> serde, String topic) {
    return traces -> {
      List<Message> messages = new ArrayList<>();
      for (List<Span> trace : traces) {
        for (Span span : trace) {
          messages.add(new Message(Ids.toBytes(span.getTraceId()), serde.serialize(topic, span), 1));
        }
      }
      return messages;
    };
  }

  /** One ExportTraceServiceRequest per chunk of the batch, without a key, as the Collector's exporter sends. */
  static BatchEncoder otlp(int maxSpansPerMessage) {
    return chunked(maxSpansPerMessage, spans -> OtlpEncoder.encode(spans).toByteArray());
  }

  /** One JSON v2 list per chunk of the batch, without a key, as Zipkin's Kafka reporter sends. */
  static BatchEncoder zipkin(int maxSpansPerMessage) {
    return chunked(maxSpansPerMessage, ZipkinEncoder::encodeJson);
  }

  /**
   * Packs whole traces into messages of at most {@code maxSpans} spans; a trace larger than that is split, as
   * reporters split by size without regard to traces.
   */
  private static BatchEncoder chunked(int maxSpans, Function<List<Span>, byte[]> encode) {
    if (maxSpans < 1) {
      throw new IllegalArgumentException("maxSpans < 1: " + maxSpans);
    }
    return traces -> {
      List<Message> messages = new ArrayList<>();
      List<Span> chunk = new ArrayList<>();
      for (List<Span> trace : traces) {
        if (!chunk.isEmpty() && chunk.size() + trace.size() > maxSpans) {
          messages.add(new Message(null, encode.apply(chunk), chunk.size()));
          chunk = new ArrayList<>();
        }
        for (Span span : trace) {
          chunk.add(span);
          if (chunk.size() == maxSpans) {
            messages.add(new Message(null, encode.apply(chunk), chunk.size()));
            chunk = new ArrayList<>();
          }
        }
      }
      if (!chunk.isEmpty()) {
        messages.add(new Message(null, encode.apply(chunk), chunk.size()));
      }
      return messages;
    };
  }
}
