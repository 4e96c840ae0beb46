package dev.tracepipe.ingest;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.schemas.serde.AvroSerde;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;

/**
 * Reads Avro spans, OTLP batches and Zipkin span lists as raw bytes, and writes canonical spans (one trace fragment
 * per trace and message, keyed by trace id) and dead letters. Every input is read as bytes and decoded in a processor, so no message can fail deserialization and
 * stop the application: whatever cannot be read becomes a dead letter with its reason.
 */
public final class IngestTopology implements Supplier<Topology> {
  static final String AVRO_SOURCE = "avro-spans-source";
  static final String OTLP_SOURCE = "otlp-spans-source";
  static final String ZIPKIN_SOURCE = "zipkin-spans-source";
  static final String AVRO_DECODER = "avro-spans-decode";
  static final String OTLP_DECODER = "otlp-spans-decode";
  static final String ZIPKIN_DECODER = "zipkin-spans-decode";
  static final String FRAGMENT_SINK = "trace-fragments-sink";
  static final String DEAD_LETTER_SINK = "spans-dlq-sink";

  private final InputTopics inputs;
  private final String fragmentTopic;
  private final String deadLetterTopic;
  private final Map<String, ?> serdeConfig;
  private final IngestLimits limits;
  private final IngestMetrics metrics;

  /** The topics read; any may be renamed per deployment. */
  public record InputTopics(String avroSpans, String otlpSpans, String zipkin) {
    public InputTopics {
      Objects.requireNonNull(avroSpans, "avroSpans == null");
      Objects.requireNonNull(otlpSpans, "otlpSpans == null");
      Objects.requireNonNull(zipkin, "zipkin == null");
    }
  }

  IngestTopology(InputTopics inputs, String fragmentTopic, String deadLetterTopic, Map<String, ?> serdeConfig,
      IngestLimits limits, IngestMetrics metrics) {
    this.inputs = Objects.requireNonNull(inputs, "inputs == null");
    this.fragmentTopic = Objects.requireNonNull(fragmentTopic, "fragmentTopic == null");
    this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic == null");
    this.serdeConfig = Map.copyOf(Objects.requireNonNull(serdeConfig, "serdeConfig == null"));
    this.limits = Objects.requireNonNull(limits, "limits == null");
    this.metrics = Objects.requireNonNull(metrics, "metrics == null");
  }

  @Override
  public Topology get() {
    Topology topology = new Topology();
    ByteArrayDeserializer bytes = new ByteArrayDeserializer();
    topology.addSource(AVRO_SOURCE, bytes, bytes, inputs.avroSpans());
    topology.addSource(OTLP_SOURCE, bytes, bytes, inputs.otlpSpans());
    topology.addSource(ZIPKIN_SOURCE, bytes, bytes, inputs.zipkin());
    topology.addProcessor(AVRO_DECODER, () -> processor(avroDecoder(), InputFormat.AVRO), AVRO_SOURCE);
    topology.addProcessor(OTLP_DECODER, () -> processor(OtlpDecoder::decode, InputFormat.OTLP_PROTO), OTLP_SOURCE);
    topology.addProcessor(ZIPKIN_DECODER, () -> processor(ZipkinDecoder::decode, InputFormat.ZIPKIN_UNKNOWN),
        ZIPKIN_SOURCE);
    // Values are fragments encoded by the processors, which split those too large for one record.
    topology.addSink(FRAGMENT_SINK, fragmentTopic, new StringSerializer(), new ByteArraySerializer(),
        AVRO_DECODER, OTLP_DECODER, ZIPKIN_DECODER);
    topology.addSink(DEAD_LETTER_SINK, deadLetterTopic, new ByteArraySerializer(), new ByteArraySerializer(),
        AVRO_DECODER, OTLP_DECODER, ZIPKIN_DECODER);
    return topology;
  }

  private IngestProcessor processor(Function<byte[], Decoded> decoder, InputFormat formatOfEmpty) {
    TraceFragments fragments = new TraceFragments(
        AvroSerde.specific(TraceFragment.class).configured(serdeConfig, false), fragmentTopic);
    return new IngestProcessor(decoder, formatOfEmpty, new SpanIngestor(new SpanValidator(limits), metrics),
        fragments, metrics, FRAGMENT_SINK, DEAD_LETTER_SINK);
  }

  private Function<byte[], Decoded> avroDecoder() {
    AvroSerde<Span> serde = AvroSerde.specific(Span.class).configured(serdeConfig, false);
    String topic = inputs.avroSpans();
    return new AvroSpanDecoder(message -> serde.deserialize(topic, message))::decode;
  }
}
