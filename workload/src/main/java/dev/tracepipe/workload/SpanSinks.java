package dev.tracepipe.workload;

import dev.tracepipe.avro.Span;
import dev.tracepipe.schemas.serde.AvroSerde;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** Makes the sink for a format: a Kafka topic, an OTLP/HTTP endpoint, or an encoder that sends nothing. */
public final class SpanSinks {
  /** Zipkin's Kafka reporter keeps messages under about a megabyte; a thousand spans stay below that. */
  static final int ZIPKIN_SPANS_PER_MESSAGE = 1_000;
  /** OTLP messages of this many spans stay well under the topic's 8 MiB limit. */
  static final int OTLP_SPANS_PER_MESSAGE = 2_000;

  private SpanSinks() {}

  /**
   * A sink writing a Kafka format to its catalogue topic.
   *
   * @param serdeConfig schema registry settings, used by {@link Format#AVRO} only
   * @param producerOverrides producer settings replacing the defaults (acks=all, idempotent, lz4, linger 10 ms)
   */
  public static SpanSink kafka(Format format, String bootstrapServers, Map<String, ?> serdeConfig,
      Map<String, Object> producerOverrides) {
    Objects.requireNonNull(format, "format == null");
    Objects.requireNonNull(bootstrapServers, "bootstrapServers == null");
    if (format.topic() == null) {
      throw new IllegalArgumentException(format.cliName() + " is not written to Kafka");
    }
    String topic = format.topic().name();
    return new KafkaSpanSink(KafkaSpanSink.producerConfig(bootstrapServers, producerOverrides), topic,
        encoder(format, serdeConfig, topic));
  }

  /** A sink POSTing OTLP protobuf to {@code baseUrl/v1/traces}. */
  public static SpanSink otlpHttp(URI baseUrl) {
    return new OtlpHttpSink(Objects.requireNonNull(baseUrl, "baseUrl == null"), Duration.ofSeconds(10));
  }

  /** A sink that encodes in the format and discards the result, to measure generation and encoding alone. */
  public static SpanSink encodeOnly(Format format, Map<String, ?> serdeConfig) {
    Objects.requireNonNull(format, "format == null");
    String topic = format.topic() == null ? "otlp_spans" : format.topic().name();
    return new EncodeOnlySink(format == Format.OTLP_HTTP
        ? BatchEncoder.otlp(OtlpHttpSink.MAX_SPANS_PER_REQUEST) : encoder(format, serdeConfig, topic));
  }

  /**
   * The sink behind, fed as real tracers export ({@link ExportBatching#honest()}), or the sink itself for
   * {@link ExportBatching#TRACE}. Closing the result closes the sink behind.
   */
  public static SpanSink batched(SpanSink downstream, ExportBatching batching) {
    Objects.requireNonNull(downstream, "downstream == null");
    return batching.traceMode() ? downstream : BatchingSink.started(downstream, batching);
  }

  static BatchEncoder encoder(Format format, Map<String, ?> serdeConfig, String topic) {
    return switch (format) {
      case AVRO -> BatchEncoder.avro(AvroSerde.specific(Span.class).configured(
          Objects.requireNonNull(serdeConfig, "serdeConfig == null"), false), topic);
      case OTLP -> BatchEncoder.otlp(OTLP_SPANS_PER_MESSAGE);
      case ZIPKIN -> BatchEncoder.zipkin(ZIPKIN_SPANS_PER_MESSAGE);
      case OTLP_HTTP -> throw new IllegalArgumentException("otlp-http is sent over HTTP, not to a topic");
    };
  }
}
