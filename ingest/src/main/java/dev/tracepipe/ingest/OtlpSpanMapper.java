package dev.tracepipe.ingest;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.SpanLink;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Maps one OTLP span, with its resource and scope, onto the canonical Span (see MAPPING.md). */
final class OtlpSpanMapper {
  static final String SERVICE_NAME = "service.name";
  static final String SCOPE_VERSION_ATTRIBUTE = "otel.scope.version";

  private OtlpSpanMapper() {}

  /** Maps without validating: ids may be empty or wrong, times may be inverted; {@link SpanValidator} decides. */
  static Span map(Resource resource, InstrumentationScope scope, io.opentelemetry.proto.trace.v1.Span span) {
    Map<String, String> resourceAttributes = AttributeValues.toMap(resource.getAttributesList());
    Map<String, String> attributes = AttributeValues.toMap(span.getAttributesList());
    if (!scope.getVersion().isEmpty()) attributes.putIfAbsent(SCOPE_VERSION_ATTRIBUTE, scope.getVersion());
    SpanKind kind = kind(span.getKind());
    String service = resourceAttributes.get(SERVICE_NAME);
    return Span.newBuilder()
        .setTraceId(SpanIds.hex(span.getTraceId().toByteArray()))
        .setSpanId(SpanIds.hex(span.getSpanId().toByteArray()))
        .setParentSpanId(span.getParentSpanId().isEmpty() ? null : SpanIds.hex(span.getParentSpanId().toByteArray()))
        .setService(service == null ? "" : service)
        .setName(span.getName())
        .setKind(kind)
        // fixed64 on the wire: times after 2262 would wrap negative and be rejected as missing.
        .setStartTimeNanos(span.getStartTimeUnixNano())
        // A zero start is an untimed span (placed by SpanValidator); a zero end an unfinished one, as in Zipkin.
        .setUntimed(span.getStartTimeUnixNano() == 0)
        .setDurationNanos(span.getStartTimeUnixNano() == 0 || span.getEndTimeUnixNano() == 0 ? 0
            : span.getEndTimeUnixNano() - span.getStartTimeUnixNano())
        .setStatus(status(span.getStatus()))
        .setAttributes(attributes)
        .setResourceAttributes(resourceAttributes)
        .setEvents(events(span.getEventsList()))
        .setLinks(links(span.getLinksList()))
        .setRemote(RemotePeers.fromAttributes(kind, attributes))
        .setScope(scope.getName().isEmpty() ? null : scope.getName())
        .setDroppedAttributesCount(span.getDroppedAttributesCount() + resource.getDroppedAttributesCount())
        .setDroppedEventsCount(span.getDroppedEventsCount())
        .setDroppedLinksCount(span.getDroppedLinksCount())
        .build();
  }

  static SpanKind kind(io.opentelemetry.proto.trace.v1.Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_INTERNAL -> SpanKind.INTERNAL;
      case SPAN_KIND_SERVER -> SpanKind.SERVER;
      case SPAN_KIND_CLIENT -> SpanKind.CLIENT;
      case SPAN_KIND_PRODUCER -> SpanKind.PRODUCER;
      case SPAN_KIND_CONSUMER -> SpanKind.CONSUMER;
      default -> SpanKind.UNSPECIFIED;
    };
  }

  static Status status(io.opentelemetry.proto.trace.v1.Status status) {
    StatusCode code = switch (status.getCode()) {
      case STATUS_CODE_OK -> StatusCode.OK;
      case STATUS_CODE_ERROR -> StatusCode.ERROR;
      default -> StatusCode.UNSET;
    };
    return new Status(code, status.getMessage().isEmpty() ? null : status.getMessage());
  }

  private static List<SpanEvent> events(List<io.opentelemetry.proto.trace.v1.Span.Event> events) {
    List<SpanEvent> out = new ArrayList<>(events.size());
    for (io.opentelemetry.proto.trace.v1.Span.Event event : events) {
      out.add(new SpanEvent(event.getTimeUnixNano(), event.getName(), AttributeValues.toMap(event.getAttributesList())));
    }
    return out;
  }

  private static List<SpanLink> links(List<io.opentelemetry.proto.trace.v1.Span.Link> links) {
    List<SpanLink> out = new ArrayList<>(links.size());
    for (io.opentelemetry.proto.trace.v1.Span.Link link : links) {
      out.add(new SpanLink(SpanIds.hex(link.getTraceId().toByteArray()), SpanIds.hex(link.getSpanId().toByteArray()),
          AttributeValues.toMap(link.getAttributesList())));
    }
    return out;
  }
}
