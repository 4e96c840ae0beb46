package dev.tracepipe.workload;

import dev.tracepipe.schemas.topics.TopicSpec;
import dev.tracepipe.schemas.topics.Topics;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The encodings real tracers send spans in, and the topic each goes to. */
public enum Format {
  /** Our Avro {@code Span}, one record per span keyed by trace id, in the schema registry's wire format. */
  AVRO(Topics.SPANS),
  /** OTLP protobuf {@code ExportTraceServiceRequest}s, as the OpenTelemetry Collector's Kafka exporter writes. */
  OTLP(Topics.OTLP_SPANS),
  /** OTLP protobuf POSTed to {@code /v1/traces}, as SDKs export over HTTP. */
  OTLP_HTTP(null),
  /** Zipkin JSON v2 span lists, as Zipkin's Kafka reporter writes. */
  ZIPKIN(Topics.ZIPKIN);

  private final TopicSpec<?, ?> topic;

  Format(TopicSpec<?, ?> topic) {
    this.topic = topic;
  }

  /** The topic this format is written to, or null for {@link #OTLP_HTTP}. */
  public TopicSpec<?, ?> topic() {
    return topic;
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Format parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown format '" + text + "', expected one of "
          + Arrays.stream(values()).map(Format::cliName).collect(Collectors.joining(", ")), e);
    }
  }
}
