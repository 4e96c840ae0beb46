package dev.tracepipe.ingest;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.trace.SpanFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zipkin2.Annotation;
import zipkin2.Endpoint;

/** Maps one Zipkin v2 span onto the canonical Span (see MAPPING.md). */
final class ZipkinSpanMapper {
  static final String ERROR_TAG = "error";
  static final String KAFKA_TOPIC_TAG = "kafka.topic";
  static final String HOST_IP = "host.ip";
  private static final long NANOS_PER_MICRO = 1_000L;

  private ZipkinSpanMapper() {}

  /** Maps without validating; Zipkin's decoder already rejected malformed ids and dropped negative times. */
  static Span map(zipkin2.Span span) {
    Map<String, String> tags = new LinkedHashMap<>(span.tags());
    SpanKind kind = kind(span.kind());
    Endpoint local = span.localEndpoint();
    return Span.newBuilder()
        .setTraceId(span.traceId())
        .setSpanId(span.id())
        .setParentSpanId(span.parentId())
        .setShared(Boolean.TRUE.equals(span.shared()))
        .setService(local == null || local.serviceName() == null ? "" : local.serviceName())
        .setName(span.name() == null ? "" : span.name())
        .setKind(kind)
        // Zipkin makes the timestamp optional; an untimed span is kept and placed by SpanValidator.
        .setUntimed(span.timestampAsLong() == 0)
        .setStartTimeNanos(span.timestampAsLong() * NANOS_PER_MICRO)
        .setDurationNanos(span.durationAsLong() * NANOS_PER_MICRO)
        .setStatus(status(tags))
        .setAttributes(tags)
        .setResourceAttributes(resourceAttributes(local))
        .setEvents(events(span.annotations()))
        .setRemote(remote(kind, span.remoteEndpoint(), tags))
        .build();
  }

  static SpanKind kind(zipkin2.Span.Kind kind) {
    if (kind == null) return SpanKind.UNSPECIFIED;
    return switch (kind) {
      case CLIENT -> SpanKind.CLIENT;
      case SERVER -> SpanKind.SERVER;
      case PRODUCER -> SpanKind.PRODUCER;
      case CONSUMER -> SpanKind.CONSUMER;
    };
  }

  /** Zipkin marks failure with an "error" tag whose value is the message; an empty value is an error without one. */
  private static Status status(Map<String, String> tags) {
    String error = tags.get(ERROR_TAG);
    if (error == null) return new Status(StatusCode.UNSET, null);
    return new Status(StatusCode.ERROR, error.isEmpty() ? null : error);
  }

  private static Map<String, String> resourceAttributes(Endpoint local) {
    Map<String, String> out = new LinkedHashMap<>();
    if (local == null) return out;
    if (local.serviceName() != null) out.put(OtlpSpanMapper.SERVICE_NAME, local.serviceName());
    String ip = local.ipv4() != null ? local.ipv4() : local.ipv6();
    if (ip != null) out.put(HOST_IP, ip);
    // Zipkin tells two servers answering one shared id apart by their whole endpoint, port included.
    if (local.port() != null) out.put(SpanFacts.HOST_PORT, String.valueOf(local.port()));
    return out;
  }

  private static List<SpanEvent> events(List<Annotation> annotations) {
    List<SpanEvent> out = new ArrayList<>(annotations.size());
    for (Annotation a : annotations) {
      out.add(new SpanEvent(a.timestamp() * NANOS_PER_MICRO, a.value(), new LinkedHashMap<>()));
    }
    return out;
  }

  /**
   * The remote endpoint, completed from OpenTelemetry-style tags; Brave's Kafka instrumentation names the topic in
   * "kafka.topic" and the broker as remote service "kafka", which is read as the messaging system and destination.
   */
  private static RemotePeer remote(SpanKind kind, Endpoint endpoint, Map<String, String> tags) {
    RemotePeer fromTags = RemotePeers.fromAttributes(kind, tags);
    RemotePeer.Builder peer = fromTags == null ? RemotePeer.newBuilder() : RemotePeer.newBuilder(fromTags);
    if (endpoint != null) {
      if (endpoint.serviceName() != null) peer.setService(endpoint.serviceName());
      String ip = endpoint.ipv4() != null ? endpoint.ipv4() : endpoint.ipv6();
      if (ip != null) peer.setAddress(ip);
      if (endpoint.port() != null) peer.setPort(endpoint.port());
    }
    String topic = tags.get(KAFKA_TOPIC_TAG);
    if (topic != null && peer.getMessagingDestination() == null) {
      peer.setMessagingDestination(topic);
      if (peer.getMessagingSystem() == null) peer.setMessagingSystem("kafka");
    }
    RemotePeer built = peer.build();
    return RemotePeers.isEmpty(built) ? null : built;
  }
}
