package dev.tracepipe.workload;

import com.google.protobuf.ByteString;
import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.SpanEvent;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Encodes spans as an OpenTelemetry SDK exports them: one ResourceSpans per process (same resource attributes), one
 * ScopeSpans per instrumentation library, ids as raw bytes, numbers as integer values, the remote peer as
 * semantic-convention attributes.
 */
final class OtlpEncoder {
  /** Attributes that OpenTelemetry instrumentation records as integers. */
  private static final Set<String> INTEGER_KEYS = Set.of("http.status_code", "http.response.status_code",
      "server.port", "client.port", "net.peer.port");

  private OtlpEncoder() {}

  static ExportTraceServiceRequest encode(Collection<dev.tracepipe.avro.Span> spans) {
    Map<Map<String, String>, Map<String, ScopeSpans.Builder>> byResource = new LinkedHashMap<>();
    for (dev.tracepipe.avro.Span span : spans) {
      Map<String, ScopeSpans.Builder> scopes = byResource.computeIfAbsent(resourceOf(span), r -> new LinkedHashMap<>());
      String scope = span.getScope() == null ? "" : span.getScope();
      scopes.computeIfAbsent(scope, name -> ScopeSpans.newBuilder()
              .setScope(InstrumentationScope.newBuilder().setName(name)))
          .addSpans(toProto(span));
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    byResource.forEach((resource, scopes) -> {
      ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAllAttributes(keyValues(resource)));
      scopes.values().forEach(resourceSpans::addScopeSpans);
      request.addResourceSpans(resourceSpans);
    });
    return request.build();
  }

  static Span toProto(dev.tracepipe.avro.Span span) {
    Span.Builder proto = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(Ids.toBytes(span.getTraceId())))
        .setSpanId(ByteString.copyFrom(Ids.toBytes(span.getSpanId())))
        .setName(span.getName())
        .setKind(kind(span.getKind()))
        .setStartTimeUnixNano(span.getStartTimeNanos())
        .setEndTimeUnixNano(span.getStartTimeNanos() + span.getDurationNanos())
        .addAllAttributes(keyValues(attributesOf(span)))
        .setStatus(status(span.getStatus()));
    if (span.getParentSpanId() != null) {
      proto.setParentSpanId(ByteString.copyFrom(Ids.toBytes(span.getParentSpanId())));
    }
    for (SpanEvent event : span.getEvents()) {
      proto.addEvents(Span.Event.newBuilder()
          .setTimeUnixNano(event.getTimeNanos())
          .setName(event.getName())
          .addAllAttributes(keyValues(event.getAttributes())));
    }
    return proto.build();
  }

  /** The resource attributes, with service.name filled in from the span when the resource lacks it. */
  private static Map<String, String> resourceOf(dev.tracepipe.avro.Span span) {
    Map<String, String> resource = span.getResourceAttributes();
    if (span.getService().equals(resource.get("service.name"))) {
      return resource;
    }
    Map<String, String> withService = new LinkedHashMap<>(resource);
    withService.put("service.name", span.getService());
    return withService;
  }

  /** The span's attributes plus the remote peer in semantic-convention names, where the attributes lack them. */
  private static Map<String, String> attributesOf(dev.tracepipe.avro.Span span) {
    RemotePeer remote = span.getRemote();
    if (remote == null) {
      return span.getAttributes();
    }
    Map<String, String> all = new LinkedHashMap<>(span.getAttributes());
    putAbsent(all, "peer.service", remote.getService());
    putAbsent(all, "server.address", remote.getAddress());
    putAbsent(all, "server.port", remote.getPort() == null ? null : remote.getPort().toString());
    putAbsent(all, "db.system", remote.getDbSystem());
    putAbsent(all, "messaging.system", remote.getMessagingSystem());
    putAbsent(all, "messaging.destination.name", remote.getMessagingDestination());
    return all;
  }

  private static void putAbsent(Map<String, String> attributes, String key, String value) {
    if (value != null) {
      attributes.putIfAbsent(key, value);
    }
  }

  private static List<KeyValue> keyValues(Map<String, String> attributes) {
    return attributes.entrySet().stream()
        .map(e -> KeyValue.newBuilder().setKey(e.getKey()).setValue(value(e.getKey(), e.getValue())).build())
        .toList();
  }

  private static AnyValue value(String key, String value) {
    if (INTEGER_KEYS.contains(key)) {
      try {
        return AnyValue.newBuilder().setIntValue(Long.parseLong(value)).build();
      } catch (NumberFormatException e) {
        // Some instrumentations do send these as text; keep the text rather than lose the attribute.
        return AnyValue.newBuilder().setStringValue(value).build();
      }
    }
    return AnyValue.newBuilder().setStringValue(value).build();
  }

  private static Span.SpanKind kind(dev.tracepipe.avro.SpanKind kind) {
    return switch (kind) {
      case INTERNAL -> Span.SpanKind.SPAN_KIND_INTERNAL;
      case SERVER -> Span.SpanKind.SPAN_KIND_SERVER;
      case CLIENT -> Span.SpanKind.SPAN_KIND_CLIENT;
      case PRODUCER -> Span.SpanKind.SPAN_KIND_PRODUCER;
      case CONSUMER -> Span.SpanKind.SPAN_KIND_CONSUMER;
      case UNSPECIFIED -> Span.SpanKind.SPAN_KIND_UNSPECIFIED;
    };
  }

  private static Status status(dev.tracepipe.avro.Status status) {
    Status.Builder proto = Status.newBuilder().setCode(switch (status.getCode()) {
      case OK -> Status.StatusCode.STATUS_CODE_OK;
      case ERROR -> Status.StatusCode.STATUS_CODE_ERROR;
      case UNSET -> Status.StatusCode.STATUS_CODE_UNSET;
    });
    if (status.getMessage() != null) {
      proto.setMessage(status.getMessage());
    }
    return proto.build();
  }
}
