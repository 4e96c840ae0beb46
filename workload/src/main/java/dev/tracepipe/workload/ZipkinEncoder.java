package dev.tracepipe.workload;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.StatusCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesEncoder;

/**
 * Encodes spans as a Zipkin reporter sends them: a JSON v2 list, microsecond times, the process as local endpoint,
 * the peer as remote endpoint, attributes as tags and an {@code error} tag on failures.
 */
final class ZipkinEncoder {
  private static final long NANOS_PER_MICRO = 1_000;

  private ZipkinEncoder() {}

  static byte[] encodeJson(Collection<dev.tracepipe.avro.Span> spans) {
    List<zipkin2.Span> converted = new ArrayList<>(spans.size());
    for (dev.tracepipe.avro.Span span : spans) {
      converted.add(toZipkin(span));
    }
    return SpanBytesEncoder.JSON_V2.encodeList(converted);
  }

  static zipkin2.Span toZipkin(dev.tracepipe.avro.Span span) {
    zipkin2.Span.Builder zipkin = zipkin2.Span.newBuilder()
        .traceId(span.getTraceId())
        .id(span.getSpanId())
        .parentId(span.getParentSpanId())
        .name(span.getName())
        .kind(kind(span.getKind()))
        .timestamp(span.getStartTimeNanos() / NANOS_PER_MICRO)
        // Zipkin reads a zero duration as "unknown", so sub-microsecond spans round up to one.
        .duration(Math.max(1, span.getDurationNanos() / NANOS_PER_MICRO))
        .localEndpoint(localEndpoint(span))
        .remoteEndpoint(remoteEndpoint(span.getRemote()));
    if (Boolean.TRUE.equals(span.getShared())) {
      zipkin.shared(true);
    }
    for (Map.Entry<String, String> tag : span.getAttributes().entrySet()) {
      zipkin.putTag(tag.getKey(), tag.getValue());
    }
    if (span.getRemote() != null && span.getRemote().getAddress() != null
        && !span.getAttributes().containsKey("server.address")) {
      zipkin.putTag("server.address", span.getRemote().getAddress());
    }
    if (span.getStatus().getCode() == StatusCode.ERROR) {
      String message = span.getStatus().getMessage();
      zipkin.putTag("error", message == null || message.isEmpty() ? "true" : message);
    }
    for (SpanEvent event : span.getEvents()) {
      zipkin.addAnnotation(event.getTimeNanos() / NANOS_PER_MICRO, event.getName());
    }
    return zipkin.build();
  }

  private static Endpoint localEndpoint(dev.tracepipe.avro.Span span) {
    Endpoint.Builder local = Endpoint.newBuilder().serviceName(span.getService());
    String ip = span.getResourceAttributes().get("host.ip");
    if (ip != null) {
      local.ip(ip);
    }
    return local.build();
  }

  private static Endpoint remoteEndpoint(RemotePeer remote) {
    if (remote == null) {
      return null;
    }
    Endpoint.Builder endpoint = Endpoint.newBuilder().serviceName(remote.getService());
    if (remote.getAddress() != null) {
      // Only IP literals fit an endpoint; host names travel in the server.address tag instead.
      endpoint.parseIp(remote.getAddress());
    }
    if (remote.getPort() != null) {
      endpoint.port(remote.getPort());
    }
    Endpoint built = endpoint.build();
    return built.serviceName() == null && built.ipv4() == null && built.ipv6() == null && built.port() == null
        ? null : built;
  }

  private static zipkin2.Span.Kind kind(dev.tracepipe.avro.SpanKind kind) {
    return switch (kind) {
      case SERVER -> zipkin2.Span.Kind.SERVER;
      case CLIENT -> zipkin2.Span.Kind.CLIENT;
      case PRODUCER -> zipkin2.Span.Kind.PRODUCER;
      case CONSUMER -> zipkin2.Span.Kind.CONSUMER;
      case INTERNAL, UNSPECIFIED -> null;
    };
  }
}
